"""The server side of the session form's body figure (sessions/body_figure.py): every
catalogue point on its view, on both sides or the midline, named for screen readers, this
client's cautions marked; one query whatever the rows."""

import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import Point
from sessions.body_figure import HIT_RADIUS, _hit_radii, picking_figure
from sessions.cautions import rule_book
from sessions.models import TreatmentSession

from ..factories import ClientFactory
from .page_support import session_form

pytestmark = pytest.mark.django_db


def markers(figure, view):
    return figure.data["views"][view]["points"]


def test_every_pictured_point_has_its_markers(catalogue, client_record):
    figure = picking_figure(book=rule_book(client_record))
    assert len(figure.views) == 17
    drawn = {(m["code"], m["side"]) for v in figure.data["views"] for m in markers(figure, v)}
    for point in Point.objects.active().exclude(figure=""):
        sides = {"left", "right"} if point.bilateral else {"midline"}
        assert {(point.code, side) for side in sides} <= drawn, point.code
    li4 = [m for m in markers(figure, "hand_back") if m["code"] == "LI4"]
    # The backs of the hands show the client's left on the viewer's left.
    assert [(m["side"], m["label"], m["x"] < 100) for m in li4] == [
        ("left", "LI4 Hegu, left", True),
        ("right", "LI4 Hegu, right", False),
    ]
    assert [m["side"] for m in markers(figure, "head_back") if m["code"] == "GV20"] == ["midline"]


def test_the_clients_cautions_are_marked_not_everyones(catalogue, practitioner, client_record):
    pregnant = ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])

    def cautioned(client, view):
        figure = picking_figure(book=rule_book(client))
        return {m["code"] for m in markers(figure, view) if m["caution"]}

    assert {"LI4"} <= cautioned(pregnant, "hand_back")
    assert "SI3" not in cautioned(pregnant, "hand_back")  # the hand note is for everyone
    assert cautioned(client_record, "hand_back") == set()


def test_it_opens_on_the_first_rows_point_then_the_pain_then_a_default(catalogue, client_record):
    book = rule_book(client_record)
    assert picking_figure(book=book, first_code="st36").initial_view == "leg_front"
    marked = [{"view": "face"}]
    assert picking_figure(book=book, pain_marks=marked).initial_view == "face"
    assert picking_figure(book=book, first_code="nonsense").initial_view == "lower_back"


def test_each_inlined_figure_has_ids_of_its_own(catalogue, as_practitioner, create_url):
    page = as_practitioner.get(create_url).content.decode()
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert 'href="#pick-palm-palm_half"' in page


def test_the_figure_takes_one_query_whatever_the_rows(
    catalogue, client_record, django_assert_num_queries
):
    book = rule_book(client_record)
    with django_assert_num_queries(1):  # the active points that have a place on a view
        picking_figure(book=book, first_code="LI4")


def test_the_edit_page_takes_as_many_queries_for_one_row_as_for_six(
    as_practitioner, catalogue, create_url
):
    def rows(n):
        codes = ["LI4", "GB20", "ST36", "SP6", "LR3", "GV20"][:n]
        data = {"points-TOTAL_FORMS": str(n)}
        for i, code in enumerate(codes):
            data |= {
                f"points-{i}-point": code,
                f"points-{i}-side": "both",
                f"points-{i}-tool": "thumb",
                f"points-{i}-duration_seconds": "60",
                f"points-{i}-pressure": "light",
                f"points-{i}-response": "",
            }
        return data

    counts = []
    for n in (1, 6):
        as_practitioner.post(create_url, session_form(**rows(n)))
        session = TreatmentSession.objects.latest("pk")
        url = reverse("sessions:session-update", args=[session.pk])
        with CaptureQueriesContext(connection) as queries:
            assert as_practitioner.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_each_hit_circle_is_half_the_way_to_the_nearest_marker_at_most(catalogue, client_record):
    # Brute force over every pair of each view: the circles the form draws are these.
    figure = picking_figure(book=rule_book(client_record))
    compared = 0
    for view in figure.data["views"]:
        places = [(m["x"], m["y"]) for m in markers(figure, view)]
        for i, marker in enumerate(markers(figure, view)):
            apart = [math.dist(places[i], p) for j, p in enumerate(places) if j != i]
            assert marker["hit"] == round(min(HIT_RADIUS, min(apart, default=99) / 2), 1)
            compared += 1
    assert compared > 600
    assert _hit_radii([(0, 0)]) == [HIT_RADIUS]
    assert _hit_radii([(0, 0), (6, 8), (100, 0)]) == [5.0, 5.0, HIT_RADIUS]
    assert _hit_radii([(5, 0), (5, 1), (5, 50)]) == [0.5, 0.5, HIT_RADIUS]
