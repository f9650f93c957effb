"""What records add to the clinic's pages (see clinic.panels)."""

from .downloads import FORMATS


def export_buttons(*, practitioner, client):
    return {"export_formats": FORMATS}
