"""What the client page shows of a client's sessions: the latest sessions (older ones a page
at a time), the pain chart over the latest sessions, what helped, the time to relief.

The work is that of what is shown, not of the client's whole history: the list is a page of
sessions read through the client's (client, started_at) index, newest first, with keyset
paging ("older than this session"); the chart reads the latest sessions' pain scores; the
whole-history summaries are grouped in the database (sessions/what_helped.py) and kept,
rendered, for each state of the history (sessions/whole_history.py).
"""

import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.urls import reverse

from .charts import pain_chart
from .hold_times import ReliefHistory
from .models import TreatedPoint, TreatmentSession
from .timeline_rows import session_rows
from .what_helped import WhatHelped
from .whole_history import WholeHistory, history_state

SESSIONS_SHOWN = 20  # a page of the list
CHART_SESSIONS = 30  # the chart's window: the latest sessions
CURSOR = re.compile(r"[0-9]{1,18}")  # a session's pk, within a 64-bit integer


@dataclass(frozen=True)
class PointLabel:
    """What the list shows of a point: read as a row, not a model (a page has some 80)."""

    code: str
    pinyin: str
    english_name: str


@dataclass(frozen=True)
class SessionRow:
    session: TreatmentSession
    url: str
    points: list[tuple[PointLabel, str]]  # each point once, in the order it was first pressed


@dataclass(frozen=True)
class ClientTimeline:
    sessions: list[SessionRow]  # newest first, a page of them
    total: int  # the client's sessions in all
    older: int | None  # the `before` of the next page, None on the last page
    paged: bool  # an older page, not the latest sessions
    chart: str | None
    chart_sessions: int  # sessions the chart draws: the latest CHART_SESSIONS
    history: WholeHistory | None  # the whole-history summaries; None without sessions

    @property
    def rows(self):
        """The list's table rows, as markup (sessions/timeline_rows.py)."""
        return session_rows(self.sessions)

    @property
    def what_helped(self) -> WhatHelped:
        if self.history is None:
            return WhatHelped(points=[], point_sets=[], used_together=[])
        return self.history.what_helped

    @property
    def time_to_relief(self) -> list[ReliefHistory]:
        return self.history.time_to_relief if self.history else []


class Links:
    """Session and point page URLs, reversed once a page and completed by pk or code."""

    def __init__(self):
        self.session_prefix = reverse("sessions:session-detail", args=[0]).removesuffix("0/")
        self.points: dict[str, str] = {}

    def session(self, session) -> str:
        return f"{self.session_prefix}{session.pk}/"

    def point(self, point) -> str:
        if point.code not in self.points:
            self.points[point.code] = reverse("catalogue:point-detail", args=[point.code])
        return self.points[point.code]


def client_timeline(client, before=None) -> ClientTimeline:
    """`before`: the `?before=` of the page, a session of this client's; the sessions older
    than it are listed. Anything else (missing, not a number, someone else's session) gives
    the latest sessions. A client without sessions costs the count alone."""
    state = history_state(client)
    total = state.sessions
    if not total:
        return ClientTimeline(
            sessions=[],
            total=0,
            older=None,
            paged=False,
            chart=None,
            chart_sessions=0,
            history=None,
        )
    links = Links()
    newest_first = client.treatment_sessions.order_by("-started_at", "-pk")
    page = newest_first
    cursor = _cursor(client, before)
    if cursor is not None:
        started_at, pk = cursor
        page = page.filter(Q(started_at__lt=started_at) | Q(started_at=started_at, pk__lt=pk))
    rows = list(page.select_related("practitioner")[: SESSIONS_SHOWN + 1])
    shown = rows[:SESSIONS_SHOWN]  # the one more only tells whether there are older ones
    prefetch_related_objects(shown, "conditions")
    points = _points_of(shown, links)
    # A session's pain marks are drawn with the points pressed on their views
    # (body_figure.marked_views): those sessions' treated points, one query for them all.
    prefetch_related_objects(
        [session for session in shown if session.pain_marks],
        Prefetch("treated_points", queryset=TreatedPoint.objects.select_related("point")),
    )
    # Not through the client's related manager: it would set each session's client, and so
    # load the deferred client_id, one query a session.
    charted = list(
        TreatmentSession.objects.filter(client=client)
        .order_by("-started_at", "-pk")
        .only("started_at", "pain_before", "pain_after")[:CHART_SESSIONS]
    )
    return ClientTimeline(
        sessions=[
            SessionRow(session, links.session(session), points.get(session.pk, []))
            for session in shown
        ],
        total=total,
        older=shown[-1].pk if len(rows) > SESSIONS_SHOWN else None,
        paged=cursor is not None,
        chart=pain_chart(charted),
        chart_sessions=len(charted),
        history=WholeHistory(client, state, links.point),
    )


def _cursor(client, before):
    """(started_at, pk) of the client's session `before`, or None."""
    if not isinstance(before, str) or not CURSOR.fullmatch(before):
        return None
    return client.treatment_sessions.filter(pk=int(before)).values_list("started_at", "pk").first()


def _points_of(sessions, links) -> dict[int, list[tuple[PointLabel, str]]]:
    """Each session's points, each once, in the order first pressed, with their links."""
    by_session: dict[int, dict[int, tuple[PointLabel, str]]] = {}
    rows = (
        TreatedPoint.objects.filter(session__in=[session.pk for session in sessions])
        .order_by("session", "position", "pk")
        .values_list(
            "session_id", "point_id", "point__code", "point__pinyin", "point__english_name"
        )
    )
    for session_id, point_id, code, pinyin, english_name in rows:
        points = by_session.setdefault(session_id, {})
        if point_id not in points:
            label = PointLabel(code=code, pinyin=pinyin, english_name=english_name)
            points[point_id] = (label, links.point(label))
    return {session_id: list(points.values()) for session_id, points in by_session.items()}
