"""The client page's session rows, written in Python (sessions/timeline_rows.py), against the
template they were before: the same markup, byte for byte, whatever the sessions hold."""

import datetime
import zoneinfo
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions.timeline import client_timeline

from ..factories import (
    ConditionFactory,
    PointFactory,
    PractitionerFactory,
    TreatedPointFactory,
    TreatmentSessionFactory,
)

# The list's rows as the client page's template wrote them until they moved to Python.
TEMPLATE_ROWS = Template(
    (Path(__file__).parent / "timeline_rows_reference.html").read_text().removesuffix("\n")
)

BACK_MARK = {"view": "lower_back", "x": 30, "y": 40, "radius": 7, "intensity": 7}
HAND_MARK = {"view": "hand_back", "x": 22, "y": 31, "radius": 4, "intensity": 3}


def through_the_template(timeline):
    return TEMPLATE_ROWS.render(Context({"rows": timeline.sessions}))


@pytest.fixture
def varied_sessions(client_record):
    """Sessions with and without conditions, points, a pain after, an outcome, a signature and
    pain marks, with text that must be escaped, at times either side of midnight UTC."""
    odd_name = PractitionerFactory(clinic=client_record.clinic, display_name='Dr <b>"O&Neil"</b>')
    hand = PointFactory(code="LI4", pinyin="Hégǔ", english_name="Union <Valley>")
    plain = PointFactory(code="ST36", pinyin="Zúsānlǐ", english_name="")
    back = PointFactory(code="BL23", pinyin="Shènshù", figure="lower_back", figure_x=30)
    kinds = [
        {"pain_after": None, "outcome": ""},
        {"practitioner": odd_name, "signed_at": timezone.now(), "signed_by": odd_name},
        {"pain_marks": [BACK_MARK, HAND_MARK]},
        {"pain_marks": [HAND_MARK], "outcome": "worse", "pain_before": 0, "pain_after": 0},
        {"pain_before": 10, "pain_after": 10, "outcome": "resolved"},
    ]
    sessions = []
    for number, kind in enumerate(kinds):
        started = datetime.datetime(2025, 12, 31, 11 + 3 * number, 5 * number, tzinfo=datetime.UTC)
        kind.setdefault("practitioner", PractitionerFactory(clinic=client_record.clinic))
        session = TreatmentSessionFactory(client=client_record, started_at=started, **kind)
        sessions.append(session)
    sessions[1].conditions.add(ConditionFactory(name="Neck & <shoulder>"))
    sessions[2].conditions.add(ConditionFactory(name="Low back pain"), ConditionFactory())
    TreatedPointFactory(session=sessions[1], point=hand, side="left")
    TreatedPointFactory(session=sessions[1], point=plain, side="right")
    TreatedPointFactory(session=sessions[1], point=hand, side="right")  # listed once
    TreatedPointFactory(session=sessions[2], point=back, side="left")
    TreatedPointFactory(session=sessions[2], point=hand, side="both")
    TreatedPointFactory(session=sessions[3], point=plain, side="both")
    return sessions


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_the_rows_are_the_templates_markup(varied_sessions, client_record, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        timeline = client_timeline(client_record)
        rows = timeline.rows
        assert rows == through_the_template(timeline)
    assert rows.count('data-testid="timeline-session"') == len(varied_sessions)
    assert rows.count('data-testid="timeline-pain"') == 2
    assert '<circle class="pain-mark' in rows
    assert "&lt;b&gt;&quot;O&amp;Neil&quot;&lt;/b&gt;" in rows
    assert "Neck &amp; &lt;shoulder&gt;" in rows
    assert 'title="Hégǔ · Union &lt;Valley&gt;">LI4</a>' in rows


def test_local_dates_and_times(varied_sessions, client_record):
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):  # UTC+13 in December
        rows = client_timeline(client_record).rows
    assert ">1 Jan 2026, 00:00</a>" in rows  # 11:00 UTC on 31 December
    assert ">1 Jan 2026, 12:20</a>" in rows


def test_pain_marks_cost_one_query_for_any_number_of_sessions(client_record):
    def add_marked_sessions(count):
        for _ in range(count):
            session = TreatmentSessionFactory(client=client_record, pain_marks=[HAND_MARK])
            TreatedPointFactory.create_batch(2, session=session)

    add_marked_sessions(1)
    with CaptureQueriesContext(connection) as one:
        assert client_timeline(client_record).rows.count("timeline-pain") == 1
    add_marked_sessions(5)
    with CaptureQueriesContext(connection) as six:
        assert client_timeline(client_record).rows.count("timeline-pain") == 6
    assert len(six) == len(one)
