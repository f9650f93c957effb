"""Issue 14: the permission matrix rows for printing a sheet: its paper and print size saved
on a draft, and the session page's "Issue and print sheet" (routes.py adds ROWS to
PAGE_ROWS). Any practitioner of the clinic may issue and print a sheet from its sessions
(a colleague's press makes and issues their own sheet); only a draft's maker saves its
paper."""

from urllib.parse import urlsplit

from django.urls import resolve

from homecare.models import HomeCareSheet

from . import checks as c
from .support import Row, get, page, post

SESSION, SHEET = ("draft.pk",), ("draft_sheet.pk",)
MAKER_ONLY = {**page(302), "colleague": 403, "manager": 403}


def printed_on_letter(w, response):
    """Sent to the print page, which opens the print dialog, of a sheet issued from the
    session by who pressed, on US Letter in large print."""
    location = urlsplit(response["Location"])
    assert resolve(location.path).view_name == "homecare:sheet-print"
    assert location.query == "print=1"
    sheet = HomeCareSheet.objects.get(pk=resolve(location.path).kwargs["pk"])
    assert (sheet.session, sheet.created_by, sheet.issued_by) == (w.draft, w.actor, w.actor)
    assert (sheet.paper, sheet.large_print) == ("letter", True)
    assert bytes(sheet.pdf).startswith(b"%PDF")


def letter_large(w):
    return {"paper": "letter", "large_print": "1"}


def saved_letter_large(w, response):
    sheet = c.fresh(w, "draft_sheet")
    assert (sheet.paper, sheet.large_print, sheet.is_issued) == ("letter", True, False)


def letter_large_over_revision(w):
    return {**letter_large(w), "revision": str(w.draft_sheet.revision), "next": "print"}


ROWS = [
    Row(
        "homecare:sheet-print-from-session",
        "page",
        (
            get(SESSION, page(405)),
            post(SESSION, page(302), body=letter_large, check=printed_on_letter),
        ),
    ),
    Row(
        "homecare:sheet-print-options",
        "page",
        (
            get(SHEET, page(405)),
            post(
                SHEET,
                MAKER_ONLY,
                body=letter_large_over_revision,
                check=saved_letter_large,
                refusal=c.only_maker("edit"),
            ),
        ),
    ),
]
