"""What records add to the clinic's pages (see clinic.panels)."""

from .downloads import FORMATS


def export_buttons(*, practitioner, client, query):
    return {"export_formats": FORMATS}
