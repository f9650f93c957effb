"""The export as a download, for the page and the API alike: logged, then read."""

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils import timezone

from clinic.access_log import AccessEvent, record_view

from .export import as_json_text, read_record
from .pdf import render_record_pdf

FORMATS = {"json": "JSON", "pdf": "PDF"}
CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}


def export_response(request, client, *, practitioner, export_format, via=""):
    """The export of `client` (read through `clients_to_export`) as a file to save. It is
    logged before the record is read, so the file lists its own export; `via` names the
    door in the log's detail ("API"). An unknown format is a 400 and logs nothing."""
    if export_format not in FORMATS:
        raise BadRequest("Choose format=json or format=pdf.")
    label = FORMATS[export_format]
    record_view(
        request,
        client=client,
        action=AccessEvent.Action.EXPORT,
        record_type=AccessEvent.RecordType.RECORD_EXPORT,
        record_id=client.pk,
        detail=f"{label}, {via}" if via else label,
    )
    record = read_record(client, exported_by=practitioner)
    body = render_record_pdf(record) if export_format == "pdf" else as_json_text(record)
    response = HttpResponse(body, content_type=CONTENT_TYPES[export_format])
    day = timezone.localdate(record.exported_at)
    name = f"client-{client.pk}-record-{day:%Y-%m-%d}.{export_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
