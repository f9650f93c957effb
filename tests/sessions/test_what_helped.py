"""Honest "what helped": per point what was recorded for that point; the pain change per
set of points used together, never one session's change credited to each of its points."""

import datetime
import re

import pytest
from django.urls import reverse

from sessions.timeline import client_timeline

from ..factories import (
    ClientFactory,
    MeridianFactory,
    PointFactory,
    PressureToolFactory,
    TreatedPointFactory,
    TreatmentSessionFactory,
)
from .test_timeline import section


def at(day):
    return datetime.datetime(2025, 3, day, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def thumb(db):
    return PressureToolFactory(slug="thumb")


@pytest.fixture
def points(db):
    made = {}

    def point(code):
        if code not in made:
            meridian, number = code[:2], int(code[2:])
            made[code] = PointFactory(
                code=code, number=number, meridian=MeridianFactory(code=meridian)
            )
        return made[code]

    return point


@pytest.fixture
def session(practitioner, client_record, thumb, points):
    def record(day, before, after, *treated, client=None):
        """`treated`: codes, or (code, side, response, held seconds, how it ended)."""
        made = TreatmentSessionFactory(
            client=client or client_record,
            practitioner=practitioner,
            started_at=at(day),
            pain_before=before,
            pain_after=after,
        )
        for row in treated:
            code, side, response, held, ended = (
                (row, "both", "", None, "") if isinstance(row, str) else row
            )
            TreatedPointFactory(
                session=made,
                point=points(code),
                tool=thumb,
                side=side,
                response=response,
                held_seconds=held,
                hold_ended=ended,
            )
        return made

    return record


def page(as_practitioner, client_record):
    response = as_practitioner.get(reverse("clinic:client-detail", args=[client_record.pk]))
    assert response.status_code == 200
    return response.content.decode()


class TestPointsAlwaysUsedTogether:
    def test_they_show_one_set_and_a_note_not_the_same_change_three_times(
        self, as_practitioner, client_record, session
    ):
        for day, after in ((1, 4), (8, 4), (15, 5)):  # changes 4, 4 and 3: a mean of 3.7
            session(day, 8, after, "LI4", "GB20", "GB21")

        helped = client_timeline(client_record).what_helped

        assert [
            (s.points and [p.code for p in s.points], s.sessions) for s in helped.point_sets
        ] == [(["LI4", "GB20", "GB21"], 3)]
        assert round(helped.point_sets[0].mean_change, 1) == 3.7
        assert helped.together_notes == [
            "LI4, GB20 and GB21 were always used together: their effects cannot be told apart."
        ]
        assert [(s.point.code, s.sessions) for s in helped.points] == [
            ("GB20", 3),
            ("GB21", 3),
            ("LI4", 3),
        ]
        assert not any(hasattr(s, "average_change") for s in helped.points)

        html = page(as_practitioner, client_record)
        assert html.count(">3.7<") == 1
        sets = section(html, "point-sets")
        assert sets.count('data-testid="point-set"') == 1
        assert "LI4, GB20, GB21" in sets
        assert (
            "LI4, GB20 and GB21 were always used together: their effects cannot be told apart."
            in html
        )
        assert "3.7" not in section(html, "what-helped")


class TestPointsUsedApart:
    def test_each_set_shows_its_own_change_and_no_note(
        self, as_practitioner, client_record, session, thumb
    ):
        session(1, 8, 4, "LI4", "ST36")  # change 4
        session(8, 6, 5, "LI4")  # change 1
        session(15, 5, None, "ST36", "GB20")  # no pain after yet
        session(22, 7, 6, "ST36", "LI4")  # the first set again, in another order: change 1
        stranger = ClientFactory(clinic=client_record.clinic)
        session(3, 9, 0, "LI4", client=stranger)

        helped = client_timeline(client_record).what_helped

        summary = [
            ([p.code for p in s.points], s.sessions, s.scored, s.mean_change)
            for s in helped.point_sets
        ]
        assert summary == [
            (["LI4", "ST36"], 2, 2, 2.5),
            (["LI4"], 1, 1, 1.0),
            (["ST36", "GB20"], 1, 0, None),
        ]
        assert helped.used_together == []
        assert [(s.point.code, s.sessions) for s in helped.points] == [
            ("LI4", 3),
            ("ST36", 3),
            ("GB20", 1),
        ]
        html = page(as_practitioner, client_record)
        assert 'data-testid="used-together"' not in html
        assert section(html, "point-sets").count('data-testid="point-set"') == 3

    def test_two_of_three_points_never_apart_are_named(self, client_record, session):
        session(1, 8, 4, "LI4", "GB20", "ST36")
        session(8, 8, 4, "LI4", "GB20")
        helped = client_timeline(client_record).what_helped
        assert helped.together_notes == [
            "LI4 and GB20 were always used together: their effects cannot be told apart."
        ]


class TestWhatWasRecordedForEachPoint:
    def test_responses_and_time_to_relief_are_the_points_own(
        self, as_practitioner, client_record, session
    ):
        session(
            1, 8, 2, ("LI4", "left", "relief", 100, "relief"), ("LI4", "right", "tender", None, "")
        )
        session(
            8,
            8,
            2,
            ("LI4", "both", "no_change", 180, "time_up"),
            ("ST36", "both", "discomfort", 40, "too_tender"),
        )
        session(15, 8, 2, ("LI4", "both", "relief", 120, "relief"))
        session(22, 8, 2, ("LI4", "both", "relief", 90, "relief"))

        helped = client_timeline(client_record).what_helped
        li4, st36 = helped.points

        assert li4.point.code == "LI4" and li4.sessions == 4
        assert li4.responses == {"relief": 3, "tender": 1, "no_change": 1, "discomfort": 0}
        assert li4.median_relief_seconds == 100  # of 100, 120 and 90; "time up" is not relief
        assert st36.responses == {"relief": 0, "tender": 0, "no_change": 0, "discomfort": 1}
        assert st36.median_relief_seconds is None

        table = section(page(as_practitioner, client_record), "what-helped")
        rows = table.split('data-testid="point-helped"')[1:]
        assert "Relief ×3, Tender ×1, No change ×1" in re.sub(r"<[^>]+>", "", rows[0])
        assert '<td class="text-end" data-testid="median-relief">1:40</td>' in rows[0]
        assert "Discomfort ×1" in rows[1]
        assert '<td class="text-end" data-testid="median-relief">—</td>' in rows[1]


@pytest.mark.parametrize("sessions", [1, 30])
def test_the_client_page_query_count_is_constant(
    as_practitioner, client_record, session, django_assert_num_queries, sessions
):
    for day in range(sessions):
        session(
            1 + day % 28,
            7,
            3,
            ("LI4", "both", "relief", 60 + day, "relief"),
            (f"ST{day + 1}", "left", "tender", None, ""),
        )
    # session, user, practitioner, clinic (time zone), the client, the access log entry
    # for this view, change history, the flag labels, the caution rules, the timeline's
    # eleven (a page of the latest sessions with practitioner joined, their conditions,
    # their treated points with point joined, the chart's latest 30 sessions, the count of
    # sessions; what helped grouped in the database: first use of each point, the point
    # sets, responses per point, sessions per point and tool, the middle relief holds; the
    # timed holds of the latest 20 sessions with one), the sheets, the upcoming appointments
    # (practitioner, type and room joined), the treatment plans (none), the latest views.
    # It was 16 when the timeline loaded the whole history in three queries and worked the
    # summaries out in Python (issue 16: bounded rows for eight more, cheap, queries).
    with django_assert_num_queries(24):
        html = page(as_practitioner, client_record)
    assert section(html, "point-sets").count('data-testid="point-set"') == sessions
    assert 'data-testid="time-to-relief"' in html
