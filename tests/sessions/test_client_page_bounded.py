"""The client page's work is that of what it shows, not of the client's history (issue 16):
the same queries for 5 sessions and for 500, and every query reads a bounded number of rows;
older sessions a page at a time."""

import datetime
import re
import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.access_log import AccessEvent
from homecare.models import HomeCareSheet
from sessions.models import TreatedPoint, TreatmentSession

from ..factories import ClientFactory, MeridianFactory, PointFactory, PressureToolFactory
from .test_timeline import section

START = datetime.datetime(2020, 1, 6, 9, 0, tzinfo=datetime.UTC)
POINTS_A_SESSION = 4
CODES = [f"GB{n}" for n in range(1, 9)]  # session i uses the four from i % 8 on: 8 sets


@pytest.fixture
def history(practitioner, client_record):
    """`history(n)`: n sessions a week apart for the client, four treated points each, made
    with two bulk inserts. Returns the sessions, oldest first."""
    meridian = MeridianFactory(code="GB")
    points = [
        PointFactory(code=code, number=n, meridian=meridian) for n, code in enumerate(CODES, 1)
    ]
    tool = PressureToolFactory(slug="thumb")

    def make(count, client=client_record):
        sessions = TreatmentSession.objects.bulk_create(
            TreatmentSession(
                client=client,
                clinic_id=client.clinic_id,  # bulk_create skips save(), which sets it
                practitioner=practitioner,
                started_at=START + datetime.timedelta(days=7 * i),
                pain_before=8,
                pain_after=None if i % 10 == 0 else 8 - i % 6,
            )
            for i in range(count)
        )
        TreatedPoint.objects.bulk_create(
            TreatedPoint(
                session=session,
                position=j,
                point=points[(i + j) % len(points)],
                side="both",
                tool=tool,
                duration_seconds=60,
                pressure="moderate",
                response=["relief", "tender", "", "no_change"][i % 4],
                held_seconds=30 + (i * 7 + j) % 50 if j < 2 else None,
                hold_ended=("relief" if (i + j) % 3 else "time_up") if j < 2 else "",
            )
            for i, session in enumerate(sessions)
            for j in range(POINTS_A_SESSION)
        )
        return sessions

    return make


class RowCounter:
    """Counts the rows each SELECT returns, by asking the database for the count of the same
    query with the same parameters: a query that reads every session shows as many rows."""

    def __init__(self):
        self.rows: list[tuple[int, str]] = []
        self.counting = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.counting and sql.lstrip().upper().startswith("SELECT"):
            self.counting = True
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)
                    self.rows.append((cursor.fetchone()[0], sql))
            finally:
                self.counting = False
        return result


def get_page(client, client_record, **query):
    response = client.get(reverse("clinic:client-detail", args=[client_record.pk]), query)
    assert response.status_code == 200
    return response


def read_rows(client, client_record):
    counter = RowCounter()
    with connection.execute_wrapper(counter):
        get_page(client, client_record)
    return counter.rows


def test_500_sessions_take_the_queries_of_5_and_bounded_rows(
    as_practitioner, client_record, practitioner, history, django_assert_num_queries
):
    few = ClientFactory(clinic=client_record.clinic)
    history(5, client=few)
    with CaptureQueriesContext(connection) as five:
        get_page(as_practitioner, few)
    history(500)
    # The 24 of test_what_helped.test_the_client_page_query_count_is_constant.
    with django_assert_num_queries(24):
        get_page(as_practitioner, client_record)
    assert len(five) == 24

    rows = read_rows(as_practitioner, client_record)
    biggest, sql = max(rows)
    # The largest reads are the page's 20 sessions' points and the timed holds of the latest
    # 20 sessions with one: 20 x 4. Loading every session (500) or point (2,000) fails here.
    assert biggest <= 20 * POINTS_A_SESSION, sql
    assert sum(count for count, _ in rows) < 500


def test_the_summaries_over_500_sessions_are_the_whole_historys(
    as_practitioner, client_record, history
):
    sessions = history(500)
    rows = list(TreatedPoint.objects.filter(session__client=client_record))
    html = get_page(as_practitioner, client_record).content.decode()

    helped = section(html, "what-helped").split('data-testid="point-helped"')[1:]
    assert len(helped) == len(CODES)
    gb1 = next(row for row in helped if ">GB1<" in row)
    used_gb1 = {tp.session_id for tp in rows if tp.point.code == "GB1"}
    assert len(used_gb1) == 249  # in 4 of each 8 sessions: i % 8 in 0, 5, 6 and 7
    assert 'data-testid="point-sessions">249<' in gb1
    relief = sorted(
        tp.held_seconds
        for tp in rows
        if tp.point.code == "GB1" and tp.hold_ended == "relief" and tp.held_seconds
    )
    median = int(statistics.median(relief) + 0.5)
    assert f'data-testid="median-relief">{median // 60}:{median % 60:02d}<' in gb1
    responses = [tp.response for tp in rows if tp.point.code == "GB1"]
    assert responses.count("relief") and responses.count("tender")
    text = re.sub(r"<[^>]+>", "", gb1)
    assert f"Relief ×{responses.count('relief')}" in text
    assert f"Tender ×{responses.count('tender')}" in text

    sets = section(html, "point-sets").split('data-testid="point-set"')[1:]
    assert len(sets) == 8
    first = [s for s in sets if ">GB1, GB2, GB3, GB4<" in s]
    assert len(first) == 1
    used = [s for i, s in enumerate(sessions) if i % 8 == 0]
    changes = [s.pain_before - s.pain_after for s in used if s.pain_after is not None]
    assert f">{len(used)}<" in first[0]
    assert f"{sum(changes) / len(changes):.1f}" in first[0]
    assert f"({len(changes)} scored)" in first[0]


def test_the_chart_draws_the_latest_30_sessions_and_says_so(
    as_practitioner, client_record, history
):
    history(45)
    html = get_page(as_practitioner, client_record).content.decode()
    chart = section(html, "pain-chart")
    assert chart.count('class="pain-before"') == 30
    assert "the latest 30 sessions (of 45)" in chart
    last = START + datetime.timedelta(days=7 * 44)
    assert f"to {last:%-d %b %Y}" in chart


class TestOlderSessions:
    def rows(self, html):
        return re.findall(
            r'data-testid="timeline-session">\s*<td><a class="text-nowrap" href="/sessions/(\d+)/"',
            html,
        )

    def test_they_come_a_page_at_a_time_newest_first(self, as_practitioner, client_record, history):
        sessions = history(45)
        newest_first = [str(s.pk) for s in reversed(sessions)]
        seen, query, pages = [], {}, 0
        while True:
            html = get_page(as_practitioner, client_record, **query).content.decode()
            pages += 1
            assert "of 45 sessions in all" in html
            seen += self.rows(html)
            older = re.search(r'href="\?before=(\d+)#sessions-heading"', html)
            if not older:
                break
            query = {"before": older.group(1)}
        assert seen == newest_first
        assert pages == 3  # 20, 20 and 5
        assert "Latest sessions" in html

    def test_each_page_is_logged_as_a_view_of_the_record(
        self, as_practitioner, client_record, history
    ):
        sessions = history(25)
        before = AccessEvent.objects.filter(client=client_record).count()
        get_page(as_practitioner, client_record, before=sessions[5].pk)
        assert AccessEvent.objects.filter(client=client_record).count() == before + 1

    @pytest.mark.parametrize(
        "before", ["", "abc", "-3", "1.5", "0", "99999999999", "9" * 40, "٣", "3 ", "+3", "0x1f"]
    )
    def test_a_bad_cursor_gives_the_latest_sessions(
        self, as_practitioner, client_record, history, before
    ):
        sessions = history(25)
        html = get_page(as_practitioner, client_record, before=before).content.decode()
        rows = self.rows(html)
        assert rows[0] == str(sessions[-1].pk) and len(rows) == 20

    def test_another_clients_session_gives_the_latest_sessions(
        self, as_practitioner, client_record, history
    ):
        mine = history(25)
        theirs = history(3, client=ClientFactory(clinic=client_record.clinic))
        html = get_page(as_practitioner, client_record, before=theirs[-1].pk).content.decode()
        assert self.rows(html)[0] == str(mine[-1].pk)


def test_the_sheets_list_shows_the_latest_20(as_practitioner, client_record, practitioner):
    HomeCareSheet.objects.bulk_create(
        HomeCareSheet(client=client_record, clinic=client_record.clinic, created_by=practitioner)
        for _ in range(21)
    )
    html = get_page(as_practitioner, client_record).content.decode()
    assert section(html, "sheets").count('class="list-group-item') == 20
    assert 'data-testid="more-sheets"' in html


def test_a_session_without_points_is_no_point_set(as_practitioner, client_record, history):
    history(3)
    TreatmentSession.objects.create(
        client=client_record,
        practitioner=client_record.clinic.practitioners.get(),
        started_at=START,
        pain_before=5,
        pain_after=1,
    )
    html = get_page(as_practitioner, client_record).content.decode()
    sets = section(html, "point-sets").split('data-testid="point-set"')[1:]
    assert len(sets) == 3 and all("GB" in s for s in sets)
