"""The diary's list of the day's appointments, below the calendar: the same appointments as
links, for a keyboard or a screen reader.

Read as rows and written in Python: a clinic's day is some 40 appointments, and as models
through the template (four tables joined into every row, a `{% url %}` and two time filters
a row) the list was most of the diary's time: 21 ms in process at 44 appointments against
about 3 ms here. The markup is the template's, kept identical by
tests/scheduling/test_day_list.py, which renders the same appointments through the template
the list used to be and compares the two.
"""

import html

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from clinic.models import display_name

from .models import Appointment

FIELDS = (
    "pk",
    "starts_at",
    "ends_at",
    "status",
    "cancel_reason",
    "client__first_name",
    "client__last_name",
    "client__preferred_name",
    "appointment_type__name",
    "practitioner__display_name",
    "room__name",
)
STATUS_LABELS = dict(Appointment.Status.choices)
EMPTY = '<li class="list-group-item text-muted">No appointments this day.</li>\n    '


def escape(value) -> str:
    # django.utils.html.escape's output, without its lazy-text wrapper (a call a value).
    return html.escape(str(value))


def day_list(appointments, *, whole_clinic: bool) -> SafeString:
    """The `<li>`s of `appointments` (a queryset, in its order); with `whole_clinic`, each
    names its practitioner."""
    prefix = reverse("scheduling:appointment-detail", args=[0]).removesuffix("0/")
    items = [_item(row, prefix, whole_clinic) for row in appointments.values_list(*FIELDS)]
    return mark_safe("".join(items) or EMPTY)


def _item(row, prefix, whole_clinic) -> str:
    pk, starts_at, ends_at, status, cancel_reason, first, last, preferred = row[:8]
    kind, practitioner, room = row[8:]
    label = escape(display_name(first, last, preferred))
    if kind is not None:
        label += f" · {escape(kind)}"
    about = f"{escape(practitioner)} · " if whole_clinic else ""
    if room is not None:
        about += f"{escape(room)} · "
    about += escape(STATUS_LABELS.get(status, status))
    if cancel_reason:
        about += f" ({escape(cancel_reason)})"
    return (
        '\n    <li class="list-group-item d-flex flex-wrap justify-content-between gap-2">\n'
        f'      <a href="{prefix}{pk}/">{_clock(starts_at)}–{_clock(ends_at)} {label}</a>\n'
        f"      <span>{about}</span>\n"
        "    </li>\n    "
    )


def _clock(moment) -> str:
    """The local wall-clock time as the time filter's "H:i" writes it."""
    local = timezone.localtime(moment)
    return f"{local.hour:02d}:{local.minute:02d}"
