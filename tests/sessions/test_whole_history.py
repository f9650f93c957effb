"""The client page's whole-history summaries (what helped, the time to relief) are kept for
each state of the client's history (sessions/whole_history.py): a view of an unchanged
history does not read it again, and any change to what they show is on the next view."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions import services
from sessions.rows import PointRow

from . import test_what_helped
from .test_timeline import section
from .test_what_helped import page

# Its fixtures: a pressure tool, points by code, and sessions made with treated points.
thumb, points, session = test_what_helped.thumb, test_what_helped.points, test_what_helped.session


def text(html, testid):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section(html, testid)))


def summary_queries(queries):
    """The grouped reads of what helped and of the timed holds."""
    return [q["sql"] for q in queries if "GROUP BY" in q["sql"] or "OVER (" in q["sql"]]


@pytest.fixture
def history(session):
    first = session(1, 8, 4, ("LI4", "both", "relief", 90, "relief"), "GB20")
    second = session(8, 7, 5, ("LI4", "left", "tender", 45, "time_up"))
    return first, second


def test_a_second_view_of_an_unchanged_history_reads_no_summary(
    as_practitioner, client_record, history
):
    with CaptureQueriesContext(connection) as first:
        html = page(as_practitioner, client_record)
    assert summary_queries(first)  # worked out on the first view
    with CaptureQueriesContext(connection) as second:
        again = page(as_practitioner, client_record)
    assert summary_queries(second) == []
    # The six it skips: first use of each point, the point sets, responses, tools, the
    # middle relief holds, the timed holds of the latest sessions.
    assert (len(first), len(second)) == (24, 18)
    for testid in ("what-helped", "point-sets", "time-to-relief"):
        assert section(again, testid) == section(html, testid)


def test_an_edited_session_shows_at_once(
    as_practitioner, client_record, practitioner, history, points, thumb
):
    _, second = history
    assert "Tender ×1" in text(page(as_practitioner, client_record), "what-helped")
    services.update_session(
        session=second,
        practitioner=practitioner,
        expected_revision=second.revision,
        points=[PointRow(point=points("LI4"), side="left", tool=thumb, response="relief")],
    )
    helped = text(page(as_practitioner, client_record), "what-helped")
    assert "Tender" not in helped
    assert "Relief ×2" in helped


def test_a_new_session_shows_at_once(
    as_practitioner, client_record, practitioner, history, points, thumb
):
    assert "GB21" not in text(page(as_practitioner, client_record), "what-helped")
    services.record_session(
        client=client_record,
        practitioner=practitioner,
        started_at=datetime.datetime(2025, 3, 15, 10, tzinfo=datetime.UTC),
        pain_before=6,
        points=[PointRow(point=points("GB21"), tool=thumb)],
    )
    assert "GB21" in text(page(as_practitioner, client_record), "what-helped")


def test_an_amended_pain_score_shows_at_once(as_practitioner, client_record, practitioner, history):
    first, _ = history
    first.outcome = "better"
    first.save()
    services.sign_session(session=first, practitioner=practitioner)
    sets = text(page(as_practitioner, client_record), "point-sets")
    assert "GB20, LI4 1 4.0" in sets or "LI4, GB20 1 4.0" in sets
    first.refresh_from_db()
    services.amend_session(
        session=first, practitioner=practitioner, reason="Misread", changes={"pain_after": 1}
    )
    sets = text(page(as_practitioner, client_record), "point-sets")
    assert "1 7.0" in sets
    assert "4.0" not in sets


def test_a_renamed_point_or_tool_shows_at_once(
    as_practitioner, client_record, history, points, thumb
):
    before = text(page(as_practitioner, client_record), "what-helped")
    assert "Hegu-renamed" not in before and "Thumb pad" not in before
    point = points("LI4")
    point.pinyin = "Hegu-renamed"
    point.save()
    thumb.name = "Thumb pad"
    thumb.save()
    html = page(as_practitioner, client_record)
    assert "Hegu-renamed" in text(html, "what-helped")
    assert "Hegu-renamed" in text(html, "time-to-relief")
    assert "Thumb pad ×2" in text(html, "what-helped")


def test_a_point_change_committed_after_a_later_numbered_one_shows(
    as_practitioner, client_record, history, points
):
    """On PostgreSQL a history row numbered before the latest can commit after it (two
    admins at once): the latest number alone would then not change. Here the earlier-
    numbered row is taken away before the first view and put back after it."""
    point = points("LI4")
    point.pinyin = "Hegu-first"
    point.save()
    point.pinyin = "Hegu-second"
    point.save()
    second, first = point.history.order_by("-history_id")[:2]
    assert first.history_id < second.history_id
    kept = {f.attname: getattr(first, f.attname) for f in first._meta.concrete_fields}
    first.delete()  # "not yet committed"
    type(point).objects.filter(pk=point.pk).update(pinyin="Hegu-first")
    assert "Hegu-first" in text(page(as_practitioner, client_record), "what-helped")
    type(point).objects.filter(pk=point.pk).update(pinyin="Hegu-second")
    type(first).objects.create(**kept)  # "committed now", under its earlier number
    assert point.history.order_by("-history_id")[0].history_id == second.history_id
    assert "Hegu-second" in text(page(as_practitioner, client_record), "what-helped")
