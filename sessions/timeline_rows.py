"""The client page's list of sessions, its table rows written in Python.

The rows were the page's costliest template: some 1,500 function calls a row through the
template engine (variables, filters, loops, the date filter's translations); a page of 20
of the benchmark's busiest client's sessions took 9.8 ms that way and takes 1.6 ms here (in
process, 1x SQLite data). The markup is the template's, kept identical by
tests/sessions/test_timeline_rows.py, which renders the same rows through the template the
list used to be and compares the two. Every text is escaped where it is written.
"""

import html

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from .body_figure import marked_views

NONE_SHOWN = '<span class="text-muted">—</span>'
PAIN_VIEWS_CLASS = "pain-figure pain-figure-sm"


def escape(value) -> str:
    # What django.utils.html.escape writes, without its lazy-text wrapper: a page of rows
    # escapes some 500 values, and the wrapper was a third of the rows' time.
    return html.escape(str(value))


def session_rows(rows) -> SafeString:
    """The `<tr>`s of `rows` (timeline.SessionRow), newest first as given."""
    return mark_safe("".join(_row(row) for row in rows))


def _row(row) -> str:
    session = row.session
    pain_after = "—" if session.pain_after is None else escape(session.pain_after)
    badge = (
        '<span class="badge text-bg-success">Signed</span>'
        if session.is_signed
        else '<span class="badge text-bg-secondary">Draft</span>'
    )
    return (
        '\n        <tr data-testid="timeline-session">\n'
        f'          <td><a class="text-nowrap" href="{escape(row.url)}">{_started(session)}</a>'
        f'<div class="small text-muted">{escape(session.practitioner)}</div></td>\n'
        f"          <td>{_conditions(session)}</td>\n"
        f"          <td>{_points(row.points)}{_pain_views(session)}</td>\n"
        f'          <td class="text-nowrap" data-testid="pain">{escape(session.pain_before)} → '
        f"{pain_after}</td>\n"
        f"          <td>{escape(session.get_outcome_display() or '—')} {badge}</td>\n"
        "        </tr>\n        "
    )


def _started(session) -> str:
    """The local start as the date filter's "j M Y, H:i" writes it: "3 Mar 2026, 09:30"."""
    moment = timezone.localtime(session.started_at)
    month = MONTHS_3[moment.month].title()
    return escape(f"{moment.day} {month} {moment.year:04d}, {moment.hour:02d}:{moment.minute:02d}")


def _conditions(session) -> str:
    names = [escape(condition.name) for condition in session.conditions.all()]
    return ", ".join(names) or NONE_SHOWN


def _points(points) -> str:
    links = []
    for point, url in points:
        title = escape(point.pinyin)
        if point.english_name:
            title += f" · {escape(point.english_name)}"
        links.append(f'<a href="{escape(url)}" title="{title}">{escape(point.code)}</a>')
    return ", ".join(links) or NONE_SHOWN


def _pain_views(session) -> str:
    if not session.pain_marks:
        return ""
    views = marked_views(session, with_point_views=False, css_class=PAIN_VIEWS_CLASS)
    svgs = "".join(conditional_escape(view.svg) for view in views)
    return f'<div class="d-flex flex-wrap gap-1 mt-1" data-testid="timeline-pain">{svgs}</div>'
