"""The sheet's "Pain here, press there" figure: printed when the sheet's session has pain
marks, with the pain's view, the points pressed on theirs, and lines joining them."""

import re

import pytest
from django.urls import reverse

from catalogue.models import Point, PressureTool
from homecare import services as homecare
from homecare.models import HomeCareSheet
from homecare.pain_press import pain_press_figure

from ..factories import TreatedPointFactory, TreatmentSessionFactory
from .test_pages import pdf_text

LOWER_BACK_LEFT = {"view": "lower_back", "x": 30.0, "y": 40.0, "radius": 7, "intensity": 7}


@pytest.fixture
def sheet(catalogue, client_record, practitioner):
    def make(pain_marks):
        session = TreatmentSessionFactory(
            client=client_record, practitioner=practitioner, pain_marks=pain_marks
        )
        thumb = PressureTool.objects.get(slug="thumb")
        for code, side in [("LI4", "left"), ("ST36", "both")]:
            TreatedPointFactory(
                session=session, point=Point.objects.get(code=code), tool=thumb, side=side
            )
        made = homecare.sheet_from_session(session=session, practitioner=practitioner)
        return made.sheet

    return make


def test_the_sheet_prints_pain_here_press_there(as_practitioner, sheet):
    made = sheet([LOWER_BACK_LEFT, {**LOWER_BACK_LEFT, "x": 70.0, "intensity": 3}])
    response = as_practitioner.get(reverse("homecare:sheet-pdf", args=[made.pk]))
    text = re.sub(r"\s+", " ", pdf_text(response.content))
    assert "Pain here, press there" in text
    assert "Pain here: Lower back, sacrum and buttocks, left, intensity 7" in text
    assert "Press here: LI4 Hegu (left), ST36 Zusanli (both)" in text


def test_the_figure_joins_the_pain_to_each_point_on_its_own_view(sheet):
    made = sheet([LOWER_BACK_LEFT])
    sheet_row = HomeCareSheet.objects.select_related("session").get(pk=made.pk)
    items = list(sheet_row.items.select_related("point"))
    figure = pain_press_figure(sheet_row, items)
    svg = str(figure.svg)
    assert svg.count("<polygon") == 2  # an arrow to LI4, one to ST36
    assert svg.count('fill-opacity="0.45"') == 1  # the pain mark
    assert ">Pain here</text>" in svg and ">Press here</text>" in svg
    # Three views, each with ids of its own.
    ids = re.findall(r' id="([^"]+)"', svg)
    assert len(ids) == len(set(ids)) == 3


def test_no_figure_without_pain_marks(as_practitioner, sheet):
    made = sheet([])
    response = as_practitioner.get(reverse("homecare:sheet-print", args=[made.pk]))
    assert response.status_code == 200
    assert 'data-testid="pain-press"' not in response.content.decode()
    assert "Pain here" not in pdf_text(
        as_practitioner.get(reverse("homecare:sheet-pdf", args=[made.pk])).content
    )


def test_the_print_page_shows_it_too(as_practitioner, sheet):
    made = sheet([LOWER_BACK_LEFT])
    page = as_practitioner.get(reverse("homecare:sheet-print", args=[made.pk])).content.decode()
    assert 'data-testid="pain-press"' in page
    assert 'aria-label="Pain here: Lower back, sacrum and buttocks, left, intensity 7.' in page
