"""Pages of a long list read off its index: the rows after (or before) the last one shown,
never an OFFSET past every earlier row or a COUNT of them all, so that a page costs the
same at the start of 20,000 clients as at the end."""

import re
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    next_after: int | None  # `after=` this pk is the next page; None on the last
    previous_before: int | None  # `before=` this pk is the previous page; None on the first
    anchored: bool = False  # the page was read beyond the anchor asked for (it was found)

    @property
    def has_other_pages(self):
        return self.next_after is not None or self.previous_before is not None


def beyond(fields: list[str], values: dict, *, forward: bool) -> Q:
    """Rows after (`forward`) or before the row with `values`, in the order of `fields`
    (all ascending, the last one unique): a range on the first field that the index
    serves, and the tie-breaks on the rest."""
    step = "gt" if forward else "lt"
    ties = Q(pk__in=[])
    for i, field in enumerate(fields):
        equal = {f: values[f] for f in fields[:i]}
        ties |= Q(**equal, **{f"{field}__{step}": values[field]})
    return Q(**{f"{fields[0]}__{step}e": values[fields[0]]}) & ties


def keyset_page(queryset, *, fields: list[str], after=None, before=None, size: int = 25):
    """The page after the row whose pk is `after`, or before the row `before`, or the
    first; an anchor not in `queryset` (or not a number) gives the first page. `fields`
    end with "pk"."""
    forward = bool(after)
    anchor_pk = after or before
    anchor = None
    if anchor_pk and re.fullmatch(r"[0-9]{1,18}", anchor_pk):
        anchor = queryset.filter(pk=int(anchor_pk)).values(*fields).first()
    if anchor is None:
        rows = list(queryset.order_by(*fields)[: size + 1])
        return KeysetPage(rows[:size], rows[size - 1].pk if len(rows) > size else None, None)
    order = fields if forward else [f"-{f}" for f in fields]
    found = list(
        queryset.filter(beyond(fields, anchor, forward=forward)).order_by(*order)[: size + 1]
    )
    more, rows = len(found) > size, found[:size]
    if forward:
        edge = rows[0].pk if rows else anchor["pk"]  # the anchor's own page is before
        return KeysetPage(rows, rows[-1].pk if more else None, edge, anchored=True)
    rows.reverse()
    edge = rows[-1].pk if rows else anchor["pk"]  # the anchor's own page is after
    return KeysetPage(rows, edge, rows[0].pk if more else None, anchored=True)
