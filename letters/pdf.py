"""The letter's PDF: page one for the client, page two for their doctor, from one
template (WeasyPrint, with the static-files-only fetcher the home-care sheet uses)."""

from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from rest_framework.generics import get_object_or_404  # a pk that is not a number: 404
from weasyprint import CSS, HTML

from homecare.pdf import STATIC_ROOT, StaticFilesOnlyFetcher
from sessions.models import TreatedPoint

from . import content, wording
from .models import ReferralLetter

LETTER_CSS = Path(settings.BASE_DIR) / "static" / "css" / "letter_print.css"
PRINTED_RELATIONS = [
    "client__clinic",
    "session__practitioner",
    "created_by",
    "issued_by",
]


def printed_points():
    return Prefetch(
        "session__treated_points",
        TreatedPoint.objects.select_related("point", "tool").order_by("position", "pk"),
    )


def printable(letters):
    """Letters with what the PDF shows, in a fixed number of queries (the stored PDF left
    out)."""
    return (
        letters.defer("pdf")
        .select_related(*PRINTED_RELATIONS)
        .prefetch_related(printed_points(), "session__conditions")
    )


def letter_context(letter: ReferralLetter) -> dict:
    session, clinic = letter.session, letter.client.clinic
    keys = letter.warning_signs if letter.is_issued else content.sign_keys(session.check_in_found)
    signs = content.signs_found(keys)
    return {
        "letter": letter,
        "session": session,
        "client": letter.client,
        "clinic": clinic,
        "clinic_contact": [
            part.strip()
            for part in (*clinic.address.splitlines(), clinic.phone, clinic.email)
            if part.strip()
        ],
        "practitioner": session.practitioner,
        "session_date": timezone.localdate(session.started_at),
        "groups": content.by_urgency(signs),
        "signs": signs,
        "flags_found": content.flags_found(session),
        "points": session.treated_points.all(),
        "conditions": session.conditions.all(),
        "wording": wording,
    }


def render_letter_pdf(letter: ReferralLetter) -> bytes:
    """The PDF of a letter loaded through `printable`."""
    html = render_to_string("letters/print/letter.html", letter_context(letter))
    fetcher = StaticFilesOnlyFetcher(allowed_protocols=["file", "data"])
    document = HTML(string=html, base_url=str(STATIC_ROOT) + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(filename=str(LETTER_CSS))])


def pdf_response(letter: ReferralLetter) -> HttpResponse:
    """An issued letter answers its stored bytes, the same every time; a draft, a preview
    rendered now (marked as a draft on both pages)."""
    if letter.is_issued:
        pdf, name = bytes(letter.pdf), f"letter-{letter.pk}.pdf"
    else:
        pdf, name = render_letter_pdf(letter), f"letter-{letter.pk}-draft.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def letter_for_pdf(letters, pk) -> ReferralLetter:
    """The letter `pdf_response` answers, from the caller's clinic-scoped queryset, with its
    stored PDF and what a draft's preview shows."""
    related = letters.select_related(*PRINTED_RELATIONS)
    return get_object_or_404(
        related.prefetch_related(printed_points(), "session__conditions"), pk=pk
    )
