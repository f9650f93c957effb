"""Server-drawn SVG charts: no JavaScript, no chart library, every text escaped.

Written with f-strings rather than format_html: the chart is some 700 values, nearly all
numbers the code works out itself, and format_html escaping each of them was most of the
chart's time (12 -> 2 ms for 30 sessions). The only text, the dates and the summary, is
escaped once where it is made."""

import math

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 290
LEFT, RIGHT, TOP, BOTTOM = 40, 24, 44, 48
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
PAIN_MAX = 10
LABEL_WIDTH = 52  # room one x label needs, "30 Sep" at 13px, with a gap

BEFORE_COLOUR = "#495057"
AFTER_COLOUR = "#198754"
GRID_COLOUR = "#dee2e6"
TEXT_COLOUR = "#343a40"


def pain_chart(sessions):
    """Pain before and after each session, oldest on the left, as a safe SVG string.

    Returns None when there are no sessions. Sessions without a pain_after show only the
    before point, and the after line breaks around them.
    """
    sessions = sorted(sessions, key=lambda s: (s.started_at, s.pk))
    if not sessions:
        return None
    count = len(sessions)
    step = PLOT_WIDTH / count
    xs = [round(LEFT + step * (i + 0.5), 1) for i in range(count)]
    radius = round(max(2.0, min(5.0, step / 3)), 1)
    dates = [_ChartDate(timezone.localtime(s.started_at)) for s in sessions]

    parts = [
        _y_axis(),
        _x_axis(xs, dates),
        _series(xs, [s.pain_before for s in sessions], dates, "before", radius),
        _series(xs, [s.pain_after for s in sessions], dates, "after", round(radius * 0.75, 1)),
        _legend(),
    ]
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-label="{_summary(sessions, dates)}" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="14" '
        f'class="pain-chart">{"".join(parts)}</svg>'
    )


class _ChartDate:
    """A session's local date and its labels, escaped: "3 Mar" and "3 Mar 2026", as the
    date filter's "j M" and "j M Y" write them."""

    def __init__(self, moment):
        self.year = moment.year
        day_month = f"{moment.day} {MONTHS_3[moment.month].title()}"
        self.day_month = escape(day_month)
        self.full = escape(f"{day_month} {moment.year:04d}")


def _number(value) -> str:
    """A pain score as the chart writes it: numbers as they are, anything else escaped."""
    return str(value) if isinstance(value, int | float) else escape(value)


def _y(pain):
    return round(TOP + PLOT_HEIGHT * (1 - pain / PAIN_MAX), 1)


def _summary(sessions, dates):
    count = len(sessions)
    noun = "session" if count == 1 else "sessions"
    summary = f"Pain before and after across {count} {noun}"
    if count > 1:
        summary += f", {dates[0].full} to {dates[-1].full}"
    latest = sessions[-1]
    after = "not recorded" if latest.pain_after is None else _number(latest.pain_after)
    return f"{summary}. Latest: before {_number(latest.pain_before)}, after {after}."


def _y_axis():
    lines = []
    for pain in range(0, PAIN_MAX + 1, 2):
        y = _y(pain)
        lines.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="{GRID_COLOUR}" '
            f'stroke-width="1"/><text x="{LEFT - 8}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT_COLOUR}">{pain}</text>'
        )
    lines.append(
        f'<text x="4" y="{TOP - 22}" dominant-baseline="middle" fill="{TEXT_COLOUR}" '
        'font-weight="600">Pain (0–10)</text>'
    )
    return "".join(lines)


def _x_axis(xs, dates):
    """Day and month under the labelled sessions; the year below the first and at each change.

    Labels are thinned to what fits, counting back from the newest so it always has one.
    """
    every = math.ceil(len(xs) / max(1, PLOT_WIDTH // LABEL_WIDTH))
    last = len(xs) - 1
    bottom = TOP + PLOT_HEIGHT
    parts = [
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    ]
    shown_year = None
    for i, (x, date) in enumerate(zip(xs, dates, strict=True)):
        if (last - i) % every:
            continue
        anchor, text_x = "middle", x
        if x + LABEL_WIDTH / 2 > WIDTH:  # would run off the right edge: align to it
            anchor, text_x = "end", WIDTH - 2
        parts.append(
            f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 5}" stroke="{TEXT_COLOUR}" '
            f'stroke-width="1"/><text class="x-label" x="{text_x}" y="{bottom + 21}" '
            f'text-anchor="{anchor}" fill="{TEXT_COLOUR}" font-size="13">{date.day_month}</text>'
        )
        if date.year != shown_year:
            shown_year = date.year
            parts.append(
                f'<text class="x-year" x="{text_x}" y="{bottom + 38}" text-anchor="{anchor}" '
                f'fill="{BEFORE_COLOUR}" font-size="12">{date.year}</text>'
            )
    return "".join(parts)


def _series(xs, values, dates, name, radius):
    """A line through the known values (broken where one is missing) and a marker on each."""
    colour = BEFORE_COLOUR if name == "before" else AFTER_COLOUR
    dash = ' stroke-dasharray="6 4"' if name == "before" else ""
    segments, current = [], []
    for x, value in zip(xs, values, strict=True):
        if value is None:
            segments.append(current)
            current = []
        else:
            current.append(f"{x},{_y(value)}")
    segments.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
        f'stroke-width="2"{dash} stroke-linejoin="round"/>'
        for segment in segments
        if len(segment) > 1
    )
    fill = "#fff" if name == "before" else colour
    label = name.capitalize()
    markers = "".join(
        f'<circle class="pain-{name}" cx="{x}" cy="{_y(value)}" r="{radius}" fill="{fill}" '
        f'stroke="{colour}" stroke-width="2"><title>{date.full}: {label} {_number(value)}'
        "</title></circle>"
        for x, value, date in zip(xs, values, dates, strict=True)
        if value is not None
    )
    return lines + markers


def _legend():
    items = []
    x = WIDTH - RIGHT - 180
    y = TOP - 22
    for name, label in (("before", "Before"), ("after", "After")):
        colour = BEFORE_COLOUR if name == "before" else AFTER_COLOUR
        dash = ' stroke-dasharray="6 4"' if name == "before" else ""
        fill = "#fff" if name == "before" else colour
        radius = 5 if name == "before" else 3.8
        items.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 32}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2"{dash}/><circle class="legend-marker" cx="{x + 16}" cy="{y}" '
            f'r="{radius}" fill="{fill}" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{x + 40}" y="{y}" dominant-baseline="middle" fill="{TEXT_COLOUR}">'
            f"{label}</text>"
        )
        x += 96
    return "".join(items)
