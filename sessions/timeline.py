"""What the client page shows of a client's sessions: the list, the pain chart, what helped,
the time to relief.

Three queries whatever the number of sessions: the sessions with their practitioner, their
conditions, and their treated points with point and tool. Everything else is worked out here.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch

from catalogue.models import Point

from .charts import pain_chart
from .hold_times import ReliefHistory, relief_history, whole_median
from .models import HoldEnded, PointResponse, TreatedPoint, TreatmentSession


@dataclass(frozen=True)
class SessionRow:
    session: TreatmentSession
    points: list[Point]  # each point once, in the order it was first pressed


@dataclass(frozen=True)
class PointSummary:
    """One point's own record: what was recorded for it, never the session's pain change."""

    point: Point
    sessions: int
    responses: dict[str, int]  # rows with each PointResponse value, all four present
    tools: list[tuple[str, int]]  # tool name, sessions it was used with on this point
    median_relief_seconds: int | None  # of its holds that ended in relief

    @property
    def tool_summary(self):
        return ", ".join(f"{name} ×{count}" for name, count in self.tools)

    @property
    def response_counts(self) -> list[tuple[str, int]]:
        """(label, count) of each response recorded at least once, in the form's order."""
        return [
            (r.label, self.responses[r.value]) for r in PointResponse if self.responses[r.value]
        ]


@dataclass(frozen=True)
class PointSetSummary:
    """The points of a session, together: the only thing a session's pain change is about."""

    points: list[Point]  # in the order they were first pressed
    sessions: int
    scored: int  # of those, sessions with a pain-after score
    mean_change: float | None  # pain before minus after; None with no pain-after yet


@dataclass(frozen=True)
class WhatHelped:
    points: list[PointSummary]
    point_sets: list[PointSetSummary]
    used_together: list[list[Point]]  # two or more points never used one without the other

    def __bool__(self):
        return bool(self.points)

    @property
    def together_notes(self) -> list[str]:
        return [
            f"{in_words([p.code for p in group])} were always used together: "
            "their effects cannot be told apart."
            for group in self.used_together
        ]


def in_words(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} and {codes[-1]}"


@dataclass(frozen=True)
class ClientTimeline:
    sessions: list[SessionRow]  # newest first
    chart: str | None
    what_helped: WhatHelped
    time_to_relief: list[ReliefHistory]


def client_timeline(client):
    sessions = list(
        client.treatment_sessions.all()
        .select_related("practitioner")
        .prefetch_related(
            "conditions",
            Prefetch(
                "treated_points",
                queryset=TreatedPoint.objects.select_related("point", "tool"),
            ),
        )
        .order_by("-started_at", "-pk")
    )
    return ClientTimeline(
        sessions=[SessionRow(session, _unique_points(session)) for session in sessions],
        chart=pain_chart(sessions),
        what_helped=what_helped(sessions),
        time_to_relief=relief_history(sessions),
    )


def _unique_points(session):
    return list({tp.point_id: tp.point for tp in session.treated_points.all()}.values())


def what_helped(sessions) -> WhatHelped:
    """Per point: sessions that used it, the responses recorded for it, its tools and its
    median time to relief. The pain change is a session's, so it is shown per point set
    (the points of a session), and points never used apart are named as such: a session's
    change is never credited to each of its points as if it had been used alone.

    Sessions are counted once per point even when it was pressed on both sides, and so are
    their tools; each row's response counts. No query of its own.
    """
    points, order, used_in = {}, {}, {}
    responses, tool_counts, reliefs = {}, {}, {}
    sets: dict[frozenset, list] = {}
    for session in reversed(sessions):  # oldest first, for the order points were first used
        treated = list(session.treated_points.all())
        tools_by_point = {}
        for tp in treated:
            points[tp.point_id] = tp.point
            order.setdefault(tp.point_id, len(order))
            tools_by_point.setdefault(tp.point_id, set()).add(tp.tool.name)
            counts = responses.setdefault(tp.point_id, Counter())
            if tp.response:
                counts[tp.response] += 1
            if tp.hold_ended == HoldEnded.RELIEF and tp.held_seconds:
                reliefs.setdefault(tp.point_id, []).append(tp.held_seconds)
        for point_id, tools in tools_by_point.items():
            used_in.setdefault(point_id, set()).add(session.pk)
            tool_counts.setdefault(point_id, Counter()).update(tools)
        if tools_by_point:
            sets.setdefault(frozenset(tools_by_point), []).append(session)

    def in_order(point_ids):
        return [points[point_id] for point_id in sorted(point_ids, key=order.__getitem__)]

    summaries = sorted(
        (
            PointSummary(
                point=point,
                sessions=len(used_in[point_id]),
                responses={r.value: responses[point_id][r.value] for r in PointResponse},
                tools=sorted(tool_counts[point_id].items(), key=lambda item: (-item[1], item[0])),
                median_relief_seconds=whole_median(reliefs.get(point_id, [])),
            )
            for point_id, point in points.items()
        ),
        key=lambda s: (-s.sessions, -s.responses[PointResponse.RELIEF], s.point.code),
    )
    return WhatHelped(
        points=summaries,
        point_sets=sorted(
            (point_set(in_order(ids), used) for ids, used in sets.items()),
            key=lambda s: (s.mean_change is None, -(s.mean_change or 0), -s.sessions),
        ),
        used_together=never_apart(used_in, in_order),
    )


def point_set(points, sessions) -> PointSetSummary:
    changes = [s.pain_change for s in sessions if s.pain_change is not None]
    return PointSetSummary(
        points=points,
        sessions=len(sessions),
        scored=len(changes),
        mean_change=sum(changes) / len(changes) if changes else None,
    )


def never_apart(used_in: dict[int, set], in_order) -> list[list[Point]]:
    """Groups of two or more points used in exactly the same sessions."""
    groups: dict[frozenset, list[int]] = {}
    for point_id, session_ids in used_in.items():
        groups.setdefault(frozenset(session_ids), []).append(point_id)
    together = [in_order(ids) for ids in groups.values() if len(ids) > 1]
    return sorted(together, key=lambda group: [p.code for p in group])
