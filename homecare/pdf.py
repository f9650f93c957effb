"""The printed home-care sheet: one template for the print page and the PDF."""

import threading
from collections import OrderedDict
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from rest_framework.generics import get_object_or_404  # a pk that is not a number: 404
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .cautions import SheetCautions
from .models import HomeCareItem
from .pain_press import pain_press_figure
from .pictures import figure_stylesheet
from .see_a_doctor import TELL_YOUR_PRACTITIONER, see_a_doctor

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "homecare_print.css"
STANDING_NOTE = (
    "Acupressure supports your medical care. It does not replace it. "
    "Stop pressing and get medical help if you feel sharp or spreading pain, numbness, "
    "dizziness or chest pain, if the skin is broken, bruised or swollen, or if you feel "
    "worse instead of better. In an emergency, call your local emergency number."
)


# The session for its pain marks (the "Pain here, press there" figure).
PRINTED_RELATIONS = ["client__clinic", "created_by", "issued_by", "session"]


def printed_items():
    return Prefetch(
        "items", HomeCareItem.objects.select_related("point", "tool").order_by("position", "pk")
    )


def printable(sheets):
    """Sheets with everything the print layout shows, in a fixed number of queries (the
    stored PDF is left out)."""
    return sheets.defer("pdf").select_related(*PRINTED_RELATIONS).prefetch_related(printed_items())


PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def render_sheet_html(sheet, **options):
    """The sheet's page. For the PDF its CSS is left out: `render_sheet_pdf` passes it
    to WeasyPrint already parsed, and the warning signs' last page too (it is laid out
    apart). The page links the print CSS and has what changes with the sheet in a
    `<style>` carrying the request's `csp_nonce` (its Content-Security-Policy allows no
    other inline style). Each item prints the client notes of the cautions met there and
    the tool the rules allow (`cautions`, worked out here unless given); the sheet's own
    notes come first ("Take care") and the warning signs last."""
    return render_to_string("homecare/print/homecare_sheet.html", sheet_context(sheet, **options))


def sheet_context(
    sheet, *, paper=None, large_print=None, for_pdf=False, csp_nonce="", cautions=None
):
    clinic = sheet.client.clinic
    paper = paper or sheet.paper
    items = list(sheet.items.all())
    if cautions is None:
        cautions = SheetCautions.for_items(sheet.client, items)
    context = {
        "sheet": sheet,
        "clinic": clinic,
        "clinic_contact": [
            part.strip()
            for part in (*clinic.address.splitlines(), clinic.phone, clinic.email)
            if part.strip()
        ],
        "practitioner": sheet.issued_by or sheet.created_by,
        "date": timezone.localdate(sheet.issued_at) if sheet.issued_at else timezone.localdate(),
        "items": items,
        "lines": list(zip(items, cautions.items, strict=True)),
        "take_care": cautions.take_care(),
        "pain_press": pain_press_figure(sheet, items),
        "see_a_doctor": see_a_doctor(sheet, [item.point_id for item in items]),
        "tell_your_practitioner": TELL_YOUR_PRACTITIONER,
        "paper": paper,
        "page_size": PAGE_SIZES.get(paper, "A4"),
        "large_print": sheet.large_print if large_print is None else large_print,
        "for_pdf": for_pdf,
        "figure_css": "" if for_pdf else figure_stylesheet(url=static),
        "csp_nonce": csp_nonce,
        "standing_note": STANDING_NOTE,
    }
    return context


STATIC_ROOT = Path(settings.BASE_DIR, "static").resolve()


class StaticFilesOnlyFetcher(URLFetcher):
    """WeasyPrint may read the project's own static files and data: URLs, nothing else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file://"):
            # Decoded and resolved before the check (%2e%2e is ".."), and the file fetched
            # is the one checked.
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path.is_relative_to(STATIC_ROOT) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        raise ValueError(f"Refused to fetch {url!r} while rendering a PDF.")


_per_thread = threading.local()


def _reusable_render_state(paper):
    """What every sheet shares, kept per thread: the font configuration, the image cache
    (one entry per figure) and the parsed stylesheets. Building them anew for each sheet
    would cost about a third of the render."""
    if not hasattr(_per_thread, "font_config"):
        font_config = FontConfiguration()
        _per_thread.font_config = font_config
        _per_thread.image_cache = {}
        shared = [
            CSS(filename=str(PRINT_CSS), font_config=font_config),
            CSS(
                string=figure_stylesheet(),
                base_url=str(STATIC_ROOT) + "/",
                url_fetcher=StaticFilesOnlyFetcher(),
                font_config=font_config,
            ),
        ]
        _per_thread.stylesheets = {
            key: [*shared, CSS(string=f"@page {{ size: {size}; }}", font_config=font_config)]
            for key, size in PAGE_SIZES.items()
        }
    return {
        "font_config": _per_thread.font_config,
        "cache": _per_thread.image_cache,
        "stylesheets": _per_thread.stylesheets.get(paper, _per_thread.stylesheets["a4"]),
    }


def sheet_for_pdf(sheets, pk):
    """The sheet `pdf_response` answers, from the caller's clinic-scoped queryset: read
    once, with what the answer needs (its stored PDF too)."""
    return get_object_or_404(sheets.select_related(*PRINTED_RELATIONS), pk=pk)


def pdf_response(sheet):
    """The sheet's PDF: an issued sheet's stored bytes, the same every time; for a draft,
    a preview rendered now."""
    if sheet.is_issued:
        pdf, name = bytes(sheet.pdf), f"homecare-{sheet.pk}-v{sheet.version}.pdf"
    else:
        prefetch_related_objects([sheet], printed_items())
        pdf, name = render_sheet_pdf(sheet), f"homecare-{sheet.pk}-draft.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _weasyprint_html(html):
    return HTML(
        string=html,
        base_url=str(STATIC_ROOT) + "/",
        url_fetcher=StaticFilesOnlyFetcher(allowed_protocols=["file", "data"]),
    )


SIGN_PAGES_KEPT = 16  # about 0.4 MB each, laid out


def _see_a_doctor_pages(context, state):
    """The laid-out last page(s): the warning signs, which hold nothing about the client, so
    sheets for the same conditions share them. Laid out once per thread for each set of
    signs, paper and print size, and drawn into each sheet's PDF (WeasyPrint's documented
    way of joining documents); laying them out was over half of a sheet's render."""
    pages = getattr(_per_thread, "see_a_doctor_pages", None)
    if pages is None:
        pages = _per_thread.see_a_doctor_pages = OrderedDict()
    key = (
        tuple((group.heading, tuple(group.signs)) for group in context["see_a_doctor"]),
        context["tell_your_practitioner"],
        context["paper"],
        bool(context["large_print"]),
    )
    if key in pages:
        pages.move_to_end(key)
    else:
        html = render_to_string("homecare/print/see_a_doctor_page.html", context)
        pages[key] = _weasyprint_html(html).render(**state).pages
        if len(pages) > SIGN_PAGES_KEPT:
            pages.popitem(last=False)
    return pages[key]


def render_sheet_pdf(sheet, **options):
    """The PDF of a sheet loaded through `printable` (an issued sheet's date and issuer
    are printed on it), the warning signs on the last page."""
    context = sheet_context(sheet, for_pdf=True, **options)
    state = _reusable_render_state(context["paper"])
    html = render_to_string("homecare/print/homecare_sheet.html", context)
    document = _weasyprint_html(html).render(**state)
    pages = [*document.pages, *_see_a_doctor_pages(context, state)]
    return document.copy(pages).write_pdf()
