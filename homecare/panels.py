"""What home care adds to the clinic's pages (see clinic.panels)."""

from .models import HomeCareSheet

SHEETS_SHOWN = 20


def client_sheets(*, practitioner, client, query):
    """The client's latest sheets, newest first (one more is read to tell whether there are
    older ones)."""
    sheets = HomeCareSheet.objects.for_clinic(practitioner.clinic_id).filter(client=client)
    found = list(sheets.defer("pdf").order_by("-created_at", "-pk")[: SHEETS_SHOWN + 1])
    return {"sheets": found[:SHEETS_SHOWN], "more_sheets": len(found) > SHEETS_SHOWN}
