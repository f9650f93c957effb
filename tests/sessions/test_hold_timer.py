"""The hold timer's record on a point: its rules, the form, the API, the session page, and
the client's history (time to relief, the next session's default)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import Point
from sessions.hold_times import client_hold_defaults, relief_history
from sessions.models import TreatedPoint
from sessions.rows import PointRow
from sessions.timeline import client_timeline

from ..factories import (
    ClientFactory,
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


@pytest.fixture
def hold(practitioner, client_record):
    """A session of its own, on `day`, with one timed hold of the point `code`."""

    def record(day, code, seconds, ended="relief", client=None):
        point = Point.objects.get(code=code)
        session = TreatmentSessionFactory(
            client=client or client_record, practitioner=practitioner, started_at=at(day)
        )
        return TreatedPointFactory(
            session=session,
            point=point,
            tool=point.default_tool,
            held_seconds=seconds,
            hold_ended=ended,
        )

    return record


class TestTheClientsOwnDefault:
    def test_it_is_the_median_of_the_last_five_relief_holds_to_5_s(
        self, catalogue, client_record, hold, django_assert_num_queries
    ):
        hold(1, "LI4", 600)  # the sixth from last: left out
        for day, seconds in ((2, 95), (3, 103), (4, 120), (5, 80), (6, 101)):
            hold(day, "LI4", seconds)
        hold(7, "LI4", 180, "time_up")  # not relief: left out
        hold(8, "LI4", 20, "too_tender")
        hold(2, "GB20", 62)
        hold(3, "GB20", 65)  # median 63.5 -> 65
        hold(4, "ST36", 300, "time_up")  # no relief: the point's own default
        hold(9, "LI4", 10, client=ClientFactory(clinic=client_record.clinic))  # someone else
        # One query: the relief holds, five a point at most (a window per point).
        with django_assert_num_queries(1):
            defaults = client_hold_defaults(client_record)
        assert defaults == {"LI4": 100, "GB20": 65}  # LI4: median of 95, 103, 120, 80, 101

    def test_the_session_form_embeds_it(self, as_practitioner, catalogue, hold, create_url):
        hold(1, "LI4", 47)
        html = as_practitioner.get(create_url).content.decode()
        assert (
            '<script id="client-hold-seconds" type="application/json">{"LI4": 45}</script>' in html
        )

    def test_the_form_reads_it_once_for_each_state_of_the_history(
        self, as_practitioner, catalogue, hold, create_url
    ):
        """Kept for each state of the client's history (sessions/whole_history.py): a second
        view does not run the window again, a new session's hold shows on the next view."""

        def form_view():
            with CaptureQueriesContext(connection) as queries:
                html = as_practitioner.get(create_url).content.decode()
            windows = [q for q in queries.captured_queries if "ROW_NUMBER" in q["sql"]]
            found = re.search(r'id="client-hold-seconds" type="application/json">([^<]*)<', html)
            return found.group(1), len(windows)

        hold(1, "LI4", 47)
        assert form_view() == ('{"LI4": 45}', 1)
        assert form_view() == ('{"LI4": 45}', 0)
        hold(2, "LI4", 61)
        assert form_view() == ('{"LI4": 55}', 1)  # median of 47 and 61, to 5 s

    def test_a_new_client_has_none(self, as_practitioner, catalogue, create_url):
        html = as_practitioner.get(create_url).content.decode()
        assert '<script id="client-hold-seconds" type="application/json">{}</script>' in html


class TestTheClientPage:
    def test_it_shows_the_time_to_relief_per_point(
        self, as_practitioner, catalogue, client_record, hold
    ):
        hold(1, "LI4", 100)
        hold(8, "LI4", 180, "time_up")
        hold(15, "LI4", 130)
        hold(22, "LI4", 70)
        hold(22, "GB20", 40, "too_tender")
        html = as_practitioner.get(
            reverse("clinic:client-detail", args=[client_record.pk])
        ).content.decode()
        table = html[html.index('data-testid="time-to-relief"') :]
        table = table[: table.index("</table>")]
        rows = table.split('data-testid="relief-row"')[1:]
        assert len(rows) == 2
        assert "LI4" in rows[0] and ">4<" in rows[0]
        assert '<td data-testid="relief-times">1:40, 2:10, 1:10</td>' in rows[0]
        assert 'data-testid="relief-median">1:40<' in rows[0]
        assert 'data-testid="relief-last">1:10<' in rows[0]
        assert "GB20" in rows[1] and "no relief yet" in rows[1]
        assert 'data-testid="relief-median">—<' in rows[1]

    def test_it_covers_the_last_20_sessions_with_a_timed_hold(self, catalogue, client_record, hold):
        for day in range(1, 26):
            hold(day, "LI4", 30 + day)
        history = client_timeline(client_record).time_to_relief
        assert [(row.point.code, row.timed_sessions) for row in history] == [("LI4", 20)]
        assert history[0].times_to_relief == [30 + day for day in range(6, 26)]
        assert relief_history(ClientFactory(clinic=client_record.clinic)) == []

    def test_there_is_no_table_without_timed_holds(self, as_practitioner, client_record):
        TreatedPointFactory(session__client=client_record)
        html = as_practitioner.get(
            reverse("clinic:client-detail", args=[client_record.pk])
        ).content.decode()
        assert 'data-testid="time-to-relief"' not in html
