"""The safety note is never printed alone on a page (issue 14): it keeps to the last item,
in large print and at the normal size, on A4 and on US Letter. Read from the PDF's text,
page by page."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from catalogue.models import Point
from homecare import services as homecare
from homecare.rows import ItemRow
from tests.factories import ClientFactory

NOTE = "does not replace it"
# Three points that, before the fix, put the note alone on the third page in large print.
CODES = ["LI4", "LR3", "KI1"]


def pages_of(as_practitioner, practitioner, *, paper, large_print):
    sheet = homecare.create_sheet(
        client=ClientFactory(clinic=practitioner.clinic),
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code=code), side="both") for code in CODES],
        large_print=large_print,
        paper=paper,
    )
    pdf = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk])).content
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(
    "paper,large_print", [("a4", True), ("letter", True), ("a4", False), ("letter", False)]
)
def test_the_safety_note_is_printed_with_the_last_item(
    as_practitioner, practitioner, catalogue, paper, large_print
):
    pages = pages_of(as_practitioner, practitioner, paper=paper, large_print=large_print)
    (with_note,) = [page for page in pages if NOTE in page]
    last = Point.objects.get(code=CODES[-1])
    assert f"({last.code} {last.pinyin})" in with_note
    # and the warning signs follow on pages of their own
    assert all("See a doctor" in page for page in pages[pages.index(with_note) + 1 :])
