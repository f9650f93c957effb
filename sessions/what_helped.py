"""What helped, over the client's whole history: per point what was recorded for it, and the
pain change per set of points used together.

Worked out in the database, whatever the number of sessions: five grouped queries, each
returning a row per point, per point and response, per point and tool, or per set of points
used together, never a row per session or per treated point.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    F,
    Min,
    OuterRef,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber

from catalogue.models import Point

from .hold_times import whole_median
from .models import HoldEnded, PointResponse, TreatedPoint, TreatmentSession


@dataclass(frozen=True)
class PointSummary:
    """One point's own record: what was recorded for it, never the session's pain change."""

    point: Point
    sessions: int
    responses: dict[str, int]  # rows with each PointResponse value, all four present
    tools: list[tuple[str, int]]  # tool name, sessions it was used with on this point
    median_relief_seconds: int | None  # of its holds that ended in relief
    url: str = ""

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


class PointIds(Aggregate):
    """A session's distinct point ids as text, comma-separated, in no promised order (the
    reader makes a set of them)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(DISTINCT (%(expressions)s)::text, ',')",
            **extra_context,
        )


def what_helped(client, point_url=lambda point: "") -> WhatHelped:
    """Per point: sessions that used it, the responses recorded for it, its tools and its
    median time to relief. The pain change is a session's, so it is shown per point set
    (the points of a session), and points never used apart are named as such: a session's
    change is never credited to each of its points as if it had been used alone.

    Sessions are counted once per point even when it was pressed on both sides, and so are
    their tools; each row's response counts. Five queries, whatever the number of sessions.
    """
    treated = TreatedPoint.objects.filter(session__client=client).order_by()
    points, order = first_used(treated)
    if not points:
        return WhatHelped(points=[], point_sets=[], used_together=[])
    sets = point_sets(client)

    def in_order(point_ids):
        return [points[point_id] for point_id in sorted(point_ids, key=order.__getitem__)]

    sessions = Counter()
    for ids, found in sets.items():
        for point_id in ids:
            sessions[point_id] += found["sessions"]
    responses = {point_id: Counter() for point_id in points}
    for point_id, response, count in (
        treated.exclude(response="").values_list("point_id", "response").annotate(n=Count("pk"))
    ):
        responses[point_id][response] = count
    tools = {point_id: [] for point_id in points}
    for point_id, name, count in treated.values_list("point_id", "tool__name").annotate(
        n=Count("session_id", distinct=True)
    ):
        tools[point_id].append((name, count))
    medians = median_relief(treated)

    summaries = sorted(
        (
            PointSummary(
                point=point,
                sessions=sessions[point_id],
                responses={r.value: responses[point_id][r.value] for r in PointResponse},
                tools=sorted(tools[point_id], key=lambda item: (-item[1], item[0])),
                median_relief_seconds=medians.get(point_id),
                url=point_url(point),
            )
            for point_id, point in points.items()
        ),
        key=lambda s: (-s.sessions, -s.responses[PointResponse.RELIEF], s.point.code),
    )
    in_first_use_order = sorted(sets.items(), key=lambda item: item[1]["first"])
    return WhatHelped(
        points=summaries,
        point_sets=sorted(
            (point_set(in_order(ids), found) for ids, found in in_first_use_order),
            key=lambda s: (s.mean_change is None, -(s.mean_change or 0), -s.sessions),
        ),
        used_together=never_apart(list(sets), in_order),
    )


def first_used(treated):
    """The points the client was treated on ({id: Point}) and the order each was first
    pressed ({id: n}), oldest session first, then by position in it. One query: the rows of
    the sessions that started at some point's first time (a point's first row is among
    them), so a few rows a point, not every row."""
    first_times = treated.values("point_id").annotate(first=Min("session__started_at"))
    rows = (
        treated.filter(session__started_at__in=first_times.values("first"))
        .select_related("point")
        .order_by("session__started_at", "session_id", "position", "pk")
    )
    points = {}
    for tp in rows:
        points.setdefault(tp.point_id, tp.point)
    return points, {point_id: n for n, point_id in enumerate(points)}


def point_sets(client) -> dict[frozenset, dict]:
    """Each set of points used together in a session: how many sessions used exactly that
    set, how many of those have a pain-after score, the sum of their pain changes, and when
    it was first used. One row a set (grouped over each session's point ids)."""
    ids = (
        TreatedPoint.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(ids=PointIds("point_id"))
        .values("ids")
    )
    grouped = (
        TreatmentSession.objects.filter(client=client)
        .annotate(point_ids=Subquery(ids, output_field=CharField()))
        .order_by()
        .values("point_ids")
        .annotate(
            sessions=Count("pk"),
            scored=Count("pain_after"),
            change=Sum(F("pain_before") - F("pain_after")),
            first_at=Min("started_at"),
            first_pk=Min("pk"),
        )
    )
    sets: dict[frozenset, dict] = {}
    for row in grouped:
        if row["point_ids"] is None:  # sessions without points (filtering would repeat the
            continue  # subquery a third time in SQL)
        # The same set may come back in two orders (SQLite does not sort inside the group).
        key = frozenset(int(point_id) for point_id in row["point_ids"].split(","))
        found = sets.setdefault(key, {"sessions": 0, "scored": 0, "change": 0, "first": None})
        found["sessions"] += row["sessions"]
        found["scored"] += row["scored"]
        found["change"] += row["change"] or 0
        first = (row["first_at"], row["first_pk"])
        found["first"] = first if found["first"] is None else min(found["first"], first)
    return sets


def point_set(points, found) -> PointSetSummary:
    return PointSetSummary(
        points=points,
        sessions=found["sessions"],
        scored=found["scored"],
        mean_change=found["change"] / found["scored"] if found["scored"] else None,
    )


def median_relief(treated) -> dict[int, int]:
    """Point id -> the median of its holds that ended in relief, from the one or two middle
    holds of each point (a window numbers them), not every hold."""
    relief = treated.filter(hold_ended=HoldEnded.RELIEF, held_seconds__isnull=False)
    by_point = [F("point_id")]
    middle = (
        relief.annotate(
            rank=Window(RowNumber(), partition_by=by_point, order_by=[F("held_seconds"), F("pk")]),
            holds=Window(Count("pk"), partition_by=by_point),
        )
        # The middle of n holds: rank (n + 1) // 2, and (n + 2) // 2 when n is even.
        .filter(rank__gte=(F("holds") + 1) / 2, rank__lte=(F("holds") + 2) / 2)
        .values_list("point_id", "held_seconds")
    )
    found: dict[int, list[int]] = {}
    for point_id, seconds in middle:
        found.setdefault(point_id, []).append(seconds)
    return {point_id: whole_median(seconds) for point_id, seconds in found.items()}


def never_apart(sets: list[frozenset], in_order) -> list[list[Point]]:
    """Groups of two or more points used in exactly the same sessions: the points found in
    exactly the same sets of points (each session has one set)."""
    groups: dict[frozenset, list[int]] = {}
    for point_id in {point_id for ids in sets for point_id in ids}:
        found_in = frozenset(n for n, ids in enumerate(sets) if point_id in ids)
        groups.setdefault(found_in, []).append(point_id)
    together = [in_order(ids) for ids in groups.values() if len(ids) > 1]
    return sorted(together, key=lambda group: [p.code for p in group])
