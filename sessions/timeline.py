"""What the client page shows of a client's sessions: the list, the pain chart, what helped.

Three queries whatever the number of sessions: the sessions with their practitioner, their
conditions, and their treated points with point and tool. Everything else is worked out here.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch

from catalogue.models import Point

from .charts import pain_chart
from .models import TreatedPoint, TreatmentSession


@dataclass(frozen=True)
class SessionRow:
    session: TreatmentSession
    points: list[Point]  # each point once, in the order it was first pressed


@dataclass(frozen=True)
class PointSummary:
    point: Point
    sessions: int
    tools: list[tuple[str, int]]  # tool name, sessions it was used with on this point
    average_change: float | None  # pain before minus after; None with no pain_after yet

    @property
    def tool_summary(self):
        return ", ".join(f"{name} ×{count}" for name, count in self.tools)


@dataclass(frozen=True)
class ClientTimeline:
    sessions: list[SessionRow]  # newest first
    chart: str | None
    what_helped: list[PointSummary]


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
    )


def _unique_points(session):
    return list({tp.point_id: tp.point for tp in session.treated_points.all()}.values())


def what_helped(sessions):
    """Per point: sessions that used it, tools, and the mean pain change of those sessions.

    Sessions are counted once per point even when it was pressed on both sides, and so are
    their tools. Best average change first; points with no pain_after yet come last.
    """
    points, session_counts, tool_counts, changes = {}, Counter(), {}, {}
    for session in sessions:
        tools_by_point = {}
        for tp in session.treated_points.all():
            points[tp.point_id] = tp.point
            tools_by_point.setdefault(tp.point_id, set()).add(tp.tool.name)
        for point_id, tools in tools_by_point.items():
            session_counts[point_id] += 1
            tool_counts.setdefault(point_id, Counter()).update(tools)
            if session.pain_change is not None:
                changes.setdefault(point_id, []).append(session.pain_change)

    summaries = [
        PointSummary(
            point=point,
            sessions=session_counts[point_id],
            tools=sorted(tool_counts[point_id].items(), key=lambda item: (-item[1], item[0])),
            average_change=(
                sum(changes[point_id]) / len(changes[point_id]) if point_id in changes else None
            ),
        )
        for point_id, point in points.items()
    ]
    return sorted(
        summaries,
        key=lambda s: (
            s.average_change is None,
            -(s.average_change or 0),
            -s.sessions,
            s.point.code,
        ),
    )
