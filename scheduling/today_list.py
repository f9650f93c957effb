"""The dashboard's list of the practitioner's appointments today, written in Python.

Through the template each appointment cost some 1 ms (six `{% url %}`s, three forms, the
time and date filters): 11 ms in process for a day of 11 appointments against about 1.5 ms
here. The markup is the template's, kept identical by tests/scheduling/test_today_list.py,
which renders the same day through the template the list used to be and compares the two.
Every text is escaped where it is written; the forms carry the page's CSRF token.
"""

import html

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from .models import Appointment

Status = Appointment.Status
BADGES = {
    Status.ARRIVED: "text-bg-success",
    Status.COMPLETED: "text-bg-secondary",
    Status.NO_SHOW: "text-bg-warning",
}
# (new status, button class, label) of the buttons each status offers
STATUS_BUTTONS = {
    Status.BOOKED: [
        ("arrived", "btn-outline-success", "Arrived"),
        ("no_show", "btn-outline-warning", "No-show"),
    ],
    Status.NO_SHOW: [("booked", "btn-outline-secondary", "Undo no-show")],
}


def escape(value) -> str:
    # django.utils.html.escape's output, without its lazy-text wrapper (a call a value).
    return html.escape(str(value))


def _url_of(name):
    """pk -> the route's URL, reversed once: "/appointments/0/status/" split at its 0."""
    head, tail = reverse(name, args=[0]).rsplit("/0/", 1)
    return lambda pk: f"{head}/{pk}/{tail}"


class _Links:
    def __init__(self):
        self.appointment = _url_of("scheduling:appointment-detail")
        self.client = _url_of("clinic:client-detail")
        self.plan = _url_of("scheduling:plan-detail")
        self.session = _url_of("sessions:session-detail")
        self.status = _url_of("scheduling:appointment-status")
        self.start = _url_of("scheduling:appointment-session")


def today_items(appointments, *, csrf_token) -> SafeString:
    """The `<li>`s of the day (scheduling.panels.todays_appointments), in its order; the
    forms' token input as `{% csrf_token %}` writes it (none without a token)."""
    links = _Links()
    token = ""
    if csrf_token and csrf_token != "NOTPROVIDED":
        token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    return mark_safe("".join(_item(appointment, links, token) for appointment in appointments))


def _item(appointment, links, token) -> str:
    pk = appointment.pk
    client = appointment.client
    name = escape(client.display_name)
    return (
        "\n    "
        f'<li class="list-group-item" data-testid="today-appointment" data-appointment="{pk}">\n'
        '      <div class="d-flex flex-wrap justify-content-between align-items-start gap-2">\n'
        "        <div>\n"
        f'          <a class="fw-bold" href="{links.appointment(pk)}" data-testid="today-time">'
        f"{_clock(appointment.starts_at)}–{_clock(appointment.ends_at)}</a>\n"
        f'          <a href="{links.client(appointment.client_id)}" data-testid="today-client">'
        f"{name}</a>\n"
        f"          {_muted(appointment.appointment_type)}\n"
        f"          {_muted(appointment.room)}\n"
        f"          {_plan(appointment, links)}\n"
        f'          <span class="badge {BADGES.get(appointment.status, "text-bg-light border")}" '
        f'data-testid="today-status">{escape(appointment.get_status_display())}</span>\n'
        f"          {_flags(appointment)}\n"
        '          <div class="small text-muted" data-testid="today-last-session">\n'
        f"            {_last_session(appointment, links)}\n"
        "          </div>\n"
        "        </div>\n"
        '        <div class="d-flex flex-wrap gap-2">\n'
        f"          {_status_forms(appointment, links, token, name)}\n"
        f"          {_session_link(appointment, links, name)}\n"
        "        </div>\n"
        "      </div>\n"
        "    </li>\n"
        "    "
    )


def _clock(moment) -> str:
    """The local wall-clock time as the time filter's "H:i" writes it."""
    local = timezone.localtime(moment)
    return f"{local.hour:02d}:{local.minute:02d}"


def _muted(named) -> str:
    return f'<span class="text-muted">· {escape(named.name)}</span>' if named else ""


def _plan(appointment, links) -> str:
    if not appointment.plan:
        return ""
    return (
        f'<a class="small" href="{links.plan(appointment.plan_id)}" data-testid="today-plan">'
        f"session {escape(appointment.plan_number)} of "
        f"{escape(appointment.plan.sessions_planned)} in a plan</a>"
    )


def _flags(appointment) -> str:
    labels = ", ".join(escape(label) for label in appointment.flag_labels)
    other = appointment.client.health_flags_other
    if not (appointment.flag_labels or other):
        return ""
    if other:
        labels += ("; " if appointment.flag_labels else "") + escape(other)
    return (
        f'\n          <div class="small text-danger" data-testid="today-flags">Health flags: '
        f"{labels}</div>\n          "
    )


def _last_session(appointment, links) -> str:
    if not appointment.last_session_pk:
        return "No session yet"
    moment = timezone.localtime(appointment.last_session_at)
    day = f"{moment.day} {MONTHS_3[moment.month].title()} {moment.year:04d}"
    return f'Last session: <a href="{links.session(appointment.last_session_pk)}">{escape(day)}</a>'


def _status_forms(appointment, links, token, name) -> str:
    buttons = STATUS_BUTTONS.get(appointment.status)
    if not buttons:
        return ""
    forms = [
        f'<form method="post" action="{links.status(appointment.pk)}">{token}\n'
        f'            <input type="hidden" name="revision" value="{appointment.revision}">'
        '<input type="hidden" name="next" value="dashboard">\n'
        f'            <button class="btn btn-sm {css}" name="status" value="{value}" '
        f'aria-label="{label}: {name}">{label}</button>\n'
        "          </form>"
        for value, css, label in buttons
    ]
    return "\n          " + "\n          ".join(forms) + "\n          "


def _session_link(appointment, links, name) -> str:
    if appointment.session_id:
        return (
            f'\n          <a class="btn btn-sm btn-outline-primary" '
            f'href="{links.session(appointment.session_id)}" '
            f'aria-label="Open session: {name}">Open session</a>\n          '
        )
    if appointment.is_open:
        return (
            f'\n          <a class="btn btn-sm btn-success" href="{links.start(appointment.pk)}" '
            f'aria-label="Start session: {name}">Start session</a>\n          '
        )
    return ""
