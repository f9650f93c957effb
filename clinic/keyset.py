"""Pages of a long list read off its index: the rows after (or before) the last one shown,
never an OFFSET past every earlier row or a COUNT of them all, so that a page costs the
same at the start of 20,000 clients as at the end.

A link carries the position itself (the ordering fields' values of the row it starts
after, as an opaque token), not the row's id: a client renamed or archived after the page
was shown still leaves the next page where the list was, with nothing skipped or shown
twice."""

import base64
import binascii
import json
from dataclasses import dataclass

from django.db.models import Q

MAX_TOKEN = 4000  # two names of at most 100 characters, escaped and encoded, and an id


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    next_after: str | None  # `after=` this position is the next page; None on the last
    previous_before: str | None  # `before=` this position is the previous page; None on the first
    anchored: bool = False  # read beyond a position that was asked for (it could be read)

    @property
    def has_other_pages(self):
        return self.next_after is not None or self.previous_before is not None


def position(row, fields: list[str]) -> str:
    """The row's place in the order of `fields`, for a link."""
    values = [getattr(row, field) for field in fields]
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def read_position(token, fields: list[str]) -> dict | None:
    """The values a link's position holds, or None for one that is not ours: text for the
    fields but the last (the unique id, a number)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        values = json.loads(text)
    except (binascii.Error, ValueError, RecursionError):  # the last: arrays nested deep
        return None
    if not isinstance(values, list) or len(values) != len(fields):
        return None
    *texts, last = values
    if not all(isinstance(value, str) and _storable(value) for value in texts):
        return None
    if type(last) is not int or not 0 < last < 2**63:
        return None
    return dict(zip(fields, values, strict=True))


def _storable(text: str) -> bool:
    """No NUL and no lone surrogate (JSON can carry both): either would be a database error."""
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


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
    """The page after the position `after`, or before the position `before` (`after`
    wins), or the first; a position that is not ours gives the first page. `fields` end
    with "pk"."""
    forward = bool(after)
    anchor = read_position(after or before, fields)
    if anchor is None:
        rows = list(queryset.order_by(*fields)[: size + 1])
        more = len(rows) > size
        return KeysetPage(rows[:size], position(rows[size - 1], fields) if more else None, None)
    order = fields if forward else [f"-{f}" for f in fields]
    found = list(
        queryset.filter(beyond(fields, anchor, forward=forward)).order_by(*order)[: size + 1]
    )
    more, rows = len(found) > size, found[:size]
    if not forward:
        rows.reverse()
    if not rows:  # nothing left that way (rows gone since): no link from an empty page
        return KeysetPage([], None, None, anchored=True)
    first, last = position(rows[0], fields), position(rows[-1], fields)
    if forward:
        return KeysetPage(rows, last if more else None, first, anchored=True)
    return KeysetPage(rows, last, first if more else None, anchored=True)
