"""Server-drawn SVG charts: no JavaScript, no chart library, every text escaped."""

import math

from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
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
    dates = [timezone.localtime(s.started_at) for s in sessions]

    parts = [
        _y_axis(),
        _x_axis(xs, dates),
        _series(xs, [s.pain_before for s in sessions], dates, "before", radius),
        _series(xs, [s.pain_after for s in sessions], dates, "after", round(radius * 0.75, 1)),
        _legend(),
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMidYMid meet" role="img" aria-label="{}" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="14" '
        'class="pain-chart">{}</svg>',
        WIDTH,
        HEIGHT,
        _summary(sessions, dates),
        mark_safe("".join(parts)),
    )


def _y(pain):
    return round(TOP + PLOT_HEIGHT * (1 - pain / PAIN_MAX), 1)


def _summary(sessions, dates):
    count = len(sessions)
    noun = "session" if count == 1 else "sessions"
    summary = f"Pain before and after across {count} {noun}"
    if count > 1:
        summary += (
            f", {dateformat.format(dates[0], 'j M Y')} to {dateformat.format(dates[-1], 'j M Y')}"
        )
    latest = sessions[-1]
    after = "not recorded" if latest.pain_after is None else latest.pain_after
    return f"{summary}. Latest: before {latest.pain_before}, after {after}."


def _y_axis():
    lines = []
    for pain in range(0, PAIN_MAX + 1, 2):
        y = _y(pain)
        lines.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" '
                'fill="{}">{}</text>',
                LEFT,
                y,
                WIDTH - RIGHT,
                y,
                GRID_COLOUR,
                LEFT - 8,
                y,
                TEXT_COLOUR,
                pain,
            )
        )
    lines.append(
        format_html(
            '<text x="{}" y="{}" dominant-baseline="middle" fill="{}" font-weight="600">'
            "Pain (0–10)</text>",
            4,
            TOP - 22,
            TEXT_COLOUR,
        )
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
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            LEFT,
            bottom,
            WIDTH - RIGHT,
            bottom,
            TEXT_COLOUR,
        )
    ]
    shown_year = None
    for i, (x, date) in enumerate(zip(xs, dates, strict=True)):
        if (last - i) % every:
            continue
        anchor, text_x = "middle", x
        if x + LABEL_WIDTH / 2 > WIDTH:  # would run off the right edge: align to it
            anchor, text_x = "end", WIDTH - 2
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text class="x-label" x="{}" y="{}" text-anchor="{}" fill="{}" '
                'font-size="13">{}</text>',
                x,
                bottom,
                x,
                bottom + 5,
                TEXT_COLOUR,
                text_x,
                bottom + 21,
                anchor,
                TEXT_COLOUR,
                dateformat.format(date, "j M"),
            )
        )
        if date.year != shown_year:
            shown_year = date.year
            parts.append(
                format_html(
                    '<text class="x-year" x="{}" y="{}" text-anchor="{}" fill="{}" '
                    'font-size="12">{}</text>',
                    text_x,
                    bottom + 38,
                    anchor,
                    BEFORE_COLOUR,
                    date.year,
                )
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
    lines = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"'
        + dash
        + ' stroke-linejoin="round"/>',
        ((" ".join(segment), colour) for segment in segments if len(segment) > 1),
    )
    fill = "#fff" if name == "before" else colour
    label = name.capitalize()
    markers = format_html_join(
        "",
        '<circle class="pain-{}" cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" '
        'stroke-width="2"><title>{}: {} {}</title></circle>',
        (
            (
                name,
                x,
                _y(value),
                radius,
                fill,
                colour,
                dateformat.format(date, "j M Y"),
                label,
                value,
            )
            for x, value, date in zip(xs, values, dates, strict=True)
            if value is not None
        ),
    )
    return lines + markers


def _legend():
    items = []
    x = WIDTH - RIGHT - 180
    for name, label in (("before", "Before"), ("after", "After")):
        colour = BEFORE_COLOUR if name == "before" else AFTER_COLOUR
        dash = ' stroke-dasharray="6 4"' if name == "before" else ""
        fill = "#fff" if name == "before" else colour
        radius = 5 if name == "before" else 3.8
        items.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"'
                + dash
                + '/><circle class="legend-marker" cx="{}" cy="{}" r="{}" fill="{}" '
                'stroke="{}" stroke-width="2"/>'
                '<text x="{}" y="{}" dominant-baseline="middle" fill="{}">{}</text>',
                x,
                TOP - 22,
                x + 32,
                TOP - 22,
                colour,
                x + 16,
                TOP - 22,
                radius,
                fill,
                colour,
                x + 40,
                TOP - 22,
                TEXT_COLOUR,
                label,
            )
        )
        x += 96
    return "".join(items)
