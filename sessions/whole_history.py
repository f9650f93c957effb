"""The client page's whole-history summaries (what helped, the time to relief): worked out
once for each state of the client's history and kept, rendered, in the cache (the page's
`{% cache %}` fragment), since a client page is viewed far more often than a session of the
client changes. A view of an unchanged history reads one aggregate row, not the client's
thousands of treated points.

The key changes with anything the summaries read: a session added or moved to another
client (the count), any save of one of the client's sessions (each save raises its
revision, and treated points are written only with their session's save, see
sessions/services.py), and any change to a point or a pressure tool (each writes a history
row: the key has their number as well as the latest, because on PostgreSQL a change that
commits after a later-numbered one leaves the latest number as it was). The first view
after a change pays for the summaries once per cache.
"""

import functools
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, IntegerField, Max, Subquery, Sum
from django.db.models.expressions import RawSQL

from catalogue.models import Point, PressureTool

from .hold_times import ReliefHistory, client_hold_defaults, relief_history
from .what_helped import WhatHelped, what_helped

CACHE_SECONDS = 600


@functools.cache
def _history_model(model):
    # Each read of simple_history's `Model.history` builds a new manager class (about
    # 0.7 ms here); the historical model itself never changes.
    return model.history.model


def _latest_change(model):
    return _history_model(model).objects.order_by("-history_id").values("history_id")[:1]


def _changes(model):
    table = connection.ops.quote_name(_history_model(model)._meta.db_table)
    return RawSQL(f"SELECT COUNT(*) FROM {table}", (), output_field=IntegerField())


@dataclass(frozen=True)
class HistoryState:
    sessions: int
    key: str


def history_state(client) -> HistoryState:
    """The client's session count and the summaries' cache key, in one query (an aggregate
    of an uncorrelated subquery is that subquery's value, read once)."""
    found = client.treatment_sessions.order_by().aggregate(
        sessions=Count("pk"),
        revisions=Sum("revision"),
        changed=Max("updated_at"),
        points=Max(Subquery(_latest_change(Point))),
        tools=Max(Subquery(_latest_change(PressureTool))),
        point_changes=Max(_changes(Point)),
        tool_changes=Max(_changes(PressureTool)),
    )
    changed = found["changed"].isoformat() if found["changed"] else ""
    key = (
        f"{client.pk}:{found['sessions']}:{found['revisions']}:{changed}"
        f":{found['points']}.{found['point_changes']}:{found['tools']}.{found['tool_changes']}"
    )
    return HistoryState(sessions=found["sessions"], key=key)


class WholeHistory:
    """The summaries, worked out only when the page's cached fragment is missing."""

    cache_seconds = CACHE_SECONDS

    def __init__(self, client, state: HistoryState, point_url):
        self.client = client
        self.key = state.key
        self.point_url = point_url

    @cached_property
    def what_helped(self) -> WhatHelped:
        return what_helped(self.client, self.point_url)

    @cached_property
    def time_to_relief(self) -> list[ReliefHistory]:
        return relief_history(self.client, self.point_url)


def hold_defaults(client) -> dict[str, int]:
    """The session form's holds for this client (hold_times.client_hold_defaults, a window
    over every relief hold the client ever had), kept for each state of their history."""
    return cache.get_or_set(
        f"hold-defaults:{history_state(client).key}",
        lambda: client_hold_defaults(client),
        CACHE_SECONDS,
    )
