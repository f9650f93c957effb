"""The readable PDF of a client's record (WeasyPrint, as homecare/pdf.py renders sheets):
one template, the print CSS, and each issued sheet's stored PDF attached unchanged."""

import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from homecare.pdf import STATIC_ROOT, StaticFilesOnlyFetcher

from .export import ClientRecord, pdf_filename, stored_pdf

RECORD_CSS = Path(settings.BASE_DIR) / "static" / "css" / "record_print.css"


def render_record_pdf(record: ClientRecord) -> bytes:
    fetcher = StaticFilesOnlyFetcher(allowed_protocols=["file", "data"])
    issued = [(sheet, stored_pdf(sheet)) for sheet in record.sheets]
    html = render_to_string(
        "records/print/client_record.html", {"record": record, "client": record.client}
    )
    font_config = FontConfiguration()
    attachments = [
        Attachment(
            file_obj=io.BytesIO(pdf),
            name=pdf_filename(sheet),
            description=f"Home-care sheet {sheet.pk}, version {sheet.version}, as issued",
            url_fetcher=fetcher,
        )
        for sheet, pdf in issued
        if pdf is not None
    ]
    document = HTML(string=html, base_url=str(STATIC_ROOT) + "/", url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[CSS(filename=str(RECORD_CSS), font_config=font_config)],
        font_config=font_config,
        attachments=attachments,
    )
