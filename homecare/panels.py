"""What home care adds to the clinic's pages (see clinic.panels)."""

from .models import HomeCareSheet


def client_sheets(*, practitioner, client):
    sheets = HomeCareSheet.objects.for_clinic(practitioner.clinic_id).filter(client=client)
    return {"sheets": sheets.defer("pdf")}
