"""A client's own time to relief per point: the next session's default hold, and the
history the client page shows."""

import statistics

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .models import MAX_POINT_SECONDS, HoldEnded, TreatedPoint

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
