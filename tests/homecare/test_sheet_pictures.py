"""The pictures as printed: where the markers land in the sheet's PDF (issue 13)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ContentStream

from catalogue.models import Point
from homecare import services as homecare
from homecare.rows import ItemRow
from tests.factories import ClientFactory

MM_PER_PX = 25.4 / 96
pytestmark = pytest.mark.usefixtures("catalogue")


def draws_the_marker(form, operations):
    """The marker is the 96 px PNG (static/figures/marker.png); the views are larger."""
    images = form.get("/Resources", {}).get("/XObject", {})
    drawn = [images[ops[0]].get_object() for ops, op in operations if op == b"Do"]
    return any(image.get("/Width") == 96 for image in drawn)


def marker_places_mm(pdf):
    """Each marker painted on the first page: where WeasyPrint placed the marker picture
    (its form's first translation), in mm from the page's top left."""
    reader = PdfReader(io.BytesIO(pdf))
    forms = reader.pages[0]["/Resources"]["/XObject"]
    places = []
    for name in forms:
        form = forms[name].get_object()
        operations = ContentStream(form, reader).operations
        translations = [ops for ops, op in operations if op == b"cm" and ops[:4] == [1, 0, 0, 1]]
        if translations and draws_the_marker(form, operations):
            x, y = translations[0][4:]
            places.append((round(float(x) * MM_PER_PX, 2), round(float(y) * MM_PER_PX, 2)))
    return places


def printed(as_practitioner, practitioner, *rows, large_print=False):
    sheet = homecare.create_sheet(
        client=ClientFactory(clinic=practitioner.clinic),
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code=code), side=side) for code, side in rows],
        caution_acknowledged=True,
        large_print=large_print,
    )
    return as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk])).content


@pytest.mark.parametrize("large_print", [False, True])
def test_bl23_and_gv4_are_at_least_4_mm_apart_on_the_printed_page(
    as_practitioner, practitioner, large_print
):
    # Each on its own sheet, so each picture sits at the same place on its page.
    (left, right) = sorted(
        marker_places_mm(
            printed(as_practitioner, practitioner, ("BL23", "both"), large_print=large_print)
        )
    )
    ((gv4_x, gv4_y),) = marker_places_mm(
        printed(as_practitioner, practitioner, ("GV4", "midline"), large_print=large_print)
    )
    assert left[1] == right[1] == gv4_y  # the same level, L2
    assert left[0] < gv4_x < right[0]
    assert gv4_x - left[0] >= 4 and right[0] - gv4_x >= 4
    assert gv4_x - left[0] == pytest.approx(right[0] - gv4_x, abs=0.05)  # mirrored


def test_an_item_for_one_side_prints_one_marker_on_that_side(as_practitioner, practitioner):
    both = sorted(marker_places_mm(printed(as_practitioner, practitioner, ("LI4", "both"))))
    left = marker_places_mm(printed(as_practitioner, practitioner, ("LI4", "left")))
    right = marker_places_mm(printed(as_practitioner, practitioner, ("LI4", "right")))
    # The backs of the hands: the client's left hand on the left half.
    assert len(both) == 2 and left == [both[0]] and right == [both[1]]
