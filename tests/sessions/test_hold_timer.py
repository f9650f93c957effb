"""The hold timer's record on a point: its rules, the form, the API, the session page, and
the client's history (time to relief, the next session's default)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalogue.models import Point
from sessions.models import TreatedPoint
from sessions.rows import PointRow

from ..factories import (
    TreatedPointFactory,
    TreatmentSessionFactory,
)
from .page_support import nothing_saved, session_form
from .session_api_support import LIST, error_at, new_session, point_row, saved_rows


def held(**fields):
    return {"points-0-held_seconds": "", "points-0-hold_ended": "", **fields}


class TestTheRules:
    @pytest.fixture
    def li4(self, catalogue):
        return Point.objects.get(code="LI4")

    def test_a_timed_hold_has_its_seconds_and_ending(self, li4):
        row = PointRow(point=li4, held_seconds=102, hold_ended="relief")
        assert row.saved_values()["held_seconds"] == 102
        assert row.saved_values()["hold_ended"] == "relief"
        untimed = PointRow(point=li4)
        assert (untimed.saved_values()["held_seconds"], untimed.saved_values()["hold_ended"]) == (
            None,
            "",
        )

    @pytest.mark.parametrize(
        "seconds,ending,field,message",
        [
            (102, "", "hold_ended", "Say how the hold ended"),
            (None, "relief", "held_seconds", "Give the seconds held"),
            (0, "time_up", "held_seconds", "more than zero"),
            (1801, "time_up", "held_seconds", "1800 seconds"),
            (60, "fainted", "hold_ended", "relief, time up or too tender"),
        ],
    )
    def test_it_refuses_half_a_hold_or_out_of_range(self, li4, seconds, ending, field, message):
        with pytest.raises(ValidationError) as refused:
            PointRow(point=li4, held_seconds=seconds, hold_ended=ending)
        assert message in " ".join(refused.value.message_dict[field])

    def test_the_database_refuses_half_a_hold(self, db):
        treated = TreatedPointFactory()
        for seconds, ending in [(90, ""), (None, "relief"), (0, "relief"), (1801, "time_up")]:
            with pytest.raises(IntegrityError), transaction.atomic():
                TreatedPoint.objects.filter(pk=treated.pk).update(
                    held_seconds=seconds, hold_ended=ending
                )
        TreatedPoint.objects.filter(pk=treated.pk).update(held_seconds=90, hold_ended="relief")

    def test_a_kept_row_keeps_its_hold(self, db):
        treated = TreatedPointFactory(held_seconds=75, hold_ended="too_tender")
        assert PointRow.of(treated).saved_values()["held_seconds"] == 75
        assert PointRow.of(treated).hold_ended == "too_tender"


class TestTheForm:
    def test_the_hold_is_saved(self, as_practitioner, catalogue, create_url):
        data = session_form(**held(**{"points-0-held_seconds": "102"}))
        data["points-0-hold_ended"] = "relief"
        response = as_practitioner.post(create_url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        li4, gb20 = TreatedPoint.objects.order_by("position")
        assert (li4.held_seconds, li4.hold_ended) == (102, "relief")
        assert (gb20.held_seconds, gb20.hold_ended) == (None, "")

    def test_each_row_has_its_timer_and_hidden_inputs(self, as_practitioner, catalogue, create_url):
        html = as_practitioner.get(create_url).content.decode()
        template = html[html.index('id="point-row-template"') :]
        assert 'name="points-__prefix__-held_seconds"' in template
        assert 'name="points-__prefix__-hold_ended"' in template
        assert "Start hold" in template
        assert "js/hold_timer.js" in html

    def test_half_a_hold_is_refused_next_to_the_timer_and_kept(
        self, as_practitioner, catalogue, create_url
    ):
        response = as_practitioner.post(
            create_url, session_form(**held(**{"points-0-held_seconds": "102"}))
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Say how the hold ended" in html
        assert 'name="points-0-held_seconds" value="102"' in html
        assert nothing_saved()

    def test_after_a_failed_save_the_hold_is_kept_and_shown(
        self, as_practitioner, catalogue, create_url
    ):
        data = session_form(pain_before="11")
        data.update({"points-0-held_seconds": "102", "points-0-hold_ended": "relief"})
        response = as_practitioner.post(create_url, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="points-0-held_seconds" value="102"' in html
        assert 'name="points-0-hold_ended" value="relief"' in html
        assert "Held 1:42 — relief" in html
        assert nothing_saved()

    def test_an_edit_keeps_the_hold_and_a_repeat_times_anew(
        self, as_practitioner, catalogue, practitioner, client_record, create_url
    ):
        session = TreatmentSessionFactory(client=client_record, practitioner=practitioner)
        TreatedPointFactory(
            session=session,
            point=Point.objects.get(code="LI4"),
            held_seconds=95,
            hold_ended="time_up",
        )
        edit = as_practitioner.get(reverse("sessions:session-update", args=[session.pk]))
        assert 'name="points-0-held_seconds" value="95"' in edit.content.decode()
        assert "Held 1:35 — time up" in edit.content.decode()

        repeat = as_practitioner.get(create_url, {"repeat": "last"}).content.decode()
        assert 'name="points-0-point" value="LI4"' in repeat
        assert 'name="points-0-held_seconds" value="95"' not in repeat
        assert "Held 1:35" not in repeat


class TestTheSessionPage:
    def test_it_shows_the_time_held_and_how_it_ended(self, as_practitioner, client_record):
        session = TreatmentSessionFactory(client=client_record)
        TreatedPointFactory(session=session, held_seconds=102, hold_ended="relief")
        TreatedPointFactory(session=session, held_seconds=40, hold_ended="too_tender")
        TreatedPointFactory(session=session)
        html = as_practitioner.get(
            reverse("sessions:session-detail", args=[session.pk])
        ).content.decode()
        cells = html.split('data-testid="hold"')[1:]
        assert [cell[1 : cell.index("</td>")] for cell in cells] == [
            "1 min 42 s — relief",
            "40 s — too tender",
            "—",
        ]


class TestTheApi:
    def test_it_reads_and_writes_the_hold(self, api_as_practitioner, catalogue, client_record):
        body = new_session(
            client_record,
            points=[point_row(held_seconds=102, hold_ended="relief"), point_row(point="GB20")],
        )
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 201, response.json()
        points = response.json()["points"]
        assert (points[0]["held_seconds"], points[0]["hold_ended"]) == (102, "relief")
        assert (points[1]["held_seconds"], points[1]["hold_ended"]) == (None, "")
        assert TreatedPoint.objects.get(point__code="LI4").held_seconds == 102

    @pytest.mark.parametrize(
        "row,field,message",
        [
            ({"held_seconds": 102}, "hold_ended", "Say how the hold ended"),
            ({"hold_ended": "relief"}, "held_seconds", "Give the seconds held"),
            ({"held_seconds": 0, "hold_ended": "relief"}, "held_seconds", "more than zero"),
            ({"held_seconds": 1801, "hold_ended": "relief"}, "held_seconds", "1800 seconds"),
            ({"held_seconds": 9, "hold_ended": "asleep"}, "hold_ended", "not a valid choice"),
            ({"held_seconds": "soon", "hold_ended": "relief"}, "held_seconds", "valid integer"),
        ],
    )
    def test_bad_holds_are_json_field_errors(
        self, api_as_practitioner, catalogue, client_record, row, field, message
    ):
        body = new_session(client_record, points=[point_row(**row)])
        response = api_as_practitioner.post(LIST, body, format="json")
        assert message in error_at(response, "points", "0", field)
        assert saved_rows() == (0, 0)


def at(day):
    return datetime.datetime(2025, 3, day, 10, 0, tzinfo=datetime.UTC)
