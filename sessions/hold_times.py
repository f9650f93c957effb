"""A client's own time to relief per point: the next session's default hold, and the
history the client page shows."""

import statistics
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Window
from django.db.models.functions import RowNumber

from catalogue.models import Point

from .models import MAX_POINT_SECONDS, HoldEnded, TreatedPoint, TreatmentSession

RELIEF_HOLDS_COUNTED = 5  # the latest relief holds of a point that make its default
ROUND_TO_SECONDS = 5


def rounded_median(seconds: list[int]) -> int:
    """The median, to the nearest 5 s (halves up), within 5 s to 30 min."""
    middle = statistics.median(seconds)
    rounded = int(middle / ROUND_TO_SECONDS + 0.5) * ROUND_TO_SECONDS
    return min(max(rounded, ROUND_TO_SECONDS), MAX_POINT_SECONDS)


def client_hold_defaults(client) -> dict[str, int]:
    """Point code -> seconds: the median of the client's last five holds of that point that
    ended in relief, to 5 s. A point with none is left out: the row uses the point's own
    default. One query, however many sessions: the window keeps five holds a point."""
    latest_first = [F("session__started_at").desc(), F("session_id").desc(), F("pk").desc()]
    holds = (
        TreatedPoint.objects.filter(
            session__client=client, hold_ended=HoldEnded.RELIEF, held_seconds__isnull=False
        )
        .annotate(rank=Window(RowNumber(), partition_by=[F("point_id")], order_by=latest_first))
        .filter(rank__lte=RELIEF_HOLDS_COUNTED)
        .values_list("point__code", "held_seconds")
    )
    by_point: dict[str, list[int]] = {}
    for code, seconds in holds:
        by_point.setdefault(code, []).append(seconds)
    return {code: rounded_median(seconds) for code, seconds in by_point.items()}


RELIEF_HISTORY_SESSIONS = 20  # the client page's table: the latest sessions with a timed hold


@dataclass(frozen=True)
class ReliefHistory:
    """One point's timed holds over the latest sessions that had one."""

    point: Point
    timed_sessions: int  # sessions in which this point's hold was timed
    times_to_relief: list[int]  # seconds of the holds that ended in relief, oldest first
    url: str = ""  # the point's page

    @property
    def median(self) -> int | None:
        return whole_median(self.times_to_relief)

    @property
    def last(self) -> int | None:
        return self.times_to_relief[-1] if self.times_to_relief else None


def whole_median(seconds: list[int]) -> int | None:
    return int(statistics.median(seconds) + 0.5) if seconds else None


def relief_history(client, point_url=lambda point: "") -> list[ReliefHistory]:
    """Each point timed in the client's latest 20 sessions with a timed hold, most often
    timed first. One query: the timed holds of those sessions (the sessions a subquery
    through the client's index), never the client's whole history."""
    timed = TreatedPoint.objects.filter(held_seconds__isnull=False)
    latest = (
        TreatmentSession.objects.filter(client=client)
        .filter(Exists(timed.filter(session=OuterRef("pk"))))
        .order_by("-started_at", "-pk")
        .values("pk")[:RELIEF_HISTORY_SESSIONS]
    )
    holds = (
        timed.filter(session__in=latest)
        .select_related("point")
        .order_by("session__started_at", "session_id", "position", "pk")  # oldest first
    )
    points, sessions_timed, reliefs = {}, {}, {}
    for tp in holds:
        points[tp.point_id] = tp.point
        sessions_timed.setdefault(tp.point_id, set()).add(tp.session_id)
        if tp.hold_ended == HoldEnded.RELIEF:
            reliefs.setdefault(tp.point_id, []).append(tp.held_seconds)
    rows = [
        ReliefHistory(
            point=point,
            timed_sessions=len(sessions_timed[point_id]),
            times_to_relief=reliefs.get(point_id, []),
            url=point_url(point),
        )
        for point_id, point in points.items()
    ]
    return sorted(rows, key=lambda row: (-row.timed_sessions, row.point.code))
