"""The diary's calendar: day and week, for one practitioner or the whole clinic (a column
each), drawn by the vendored @event-calendar (static/js/calendar.js configures it).

Times go to and from the calendar as wall-clock times in the clinic's zone, without an
offset: the calendar runs in "UTC" and shows them as they are, so the browser's own zone
never shifts them and a daylight-saving week shows 09:00 as 09:00 on both sides."""

import json
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.utils import from_current_timezone
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from clinic.access import PractitionerRequiredMixin, colleagues_for
from clinic.revisions import StaleEdit

from .. import booking
from ..day_list import day_list
from ..forms.fields import in_diary_years
from ..models import Appointment
from .appointments import appointments_of, get_appointment_or_404, id_in, local_moment

Status = Appointment.Status
MAX_RANGE = timedelta(days=42)
JSON = "application/json"
NUL = "\x00"
NUL_MESSAGE = ProhibitNullCharactersValidator.message
COLOURS = {  # by status; white text on each passes WCAG AA
    Status.BOOKED: "#1f6f50",
    Status.ARRIVED: "#0b5ed7",
    Status.COMPLETED: "#5c636a",
    Status.NO_SHOW: "#a02334",
    Status.CANCELLED: "#5c636a",
}
# ?view= to the calendar's view: for one practitioner, and with a column each.
VIEWS = {
    "day": ("timeGridDay", "resourceTimeGridDay"),
    "week": ("timeGridWeek", "resourceTimeGridWeek"),
}


def wall(moment: datetime) -> str:
    return timezone.localtime(moment).replace(tzinfo=None).isoformat(timespec="minutes")


def aware(text: str | None) -> datetime | None:
    moment = local_moment(text)
    return timezone.make_aware(moment) if moment is not None else None


def refusal(status: int, message: str, **more) -> JsonResponse:
    return JsonResponse({"detail": message, **more}, status=status)


class CalendarView(PractitionerRequiredMixin, View):
    """?view=day|week, ?date=YYYY-MM-DD, ?practitioner=<pk> (one column) or none (the
    whole clinic). Below the calendar, the day's appointments as a plain list of links."""

    def load_objects(self):
        query = self.request.GET
        self.team = list(colleagues_for(self.practitioner).order_by("display_name", "pk"))
        self.shown = None
        if (shown_pk := id_in(query.get("practitioner", ""))) is not None:
            self.shown = get_object_or_404(colleagues_for(self.practitioner), pk=shown_pk)
        self.view = query.get("view") if query.get("view") in VIEWS else "week"
        try:
            self.day = date.fromisoformat(query.get("date", ""))
        except ValueError:
            self.day = timezone.localdate()
        if not in_diary_years(self.day):
            self.day = timezone.localdate()

    def get(self, request):
        day_starts = timezone.make_aware(datetime.combine(self.day, datetime.min.time()))
        listed = appointments_of(self.practitioner).filter(
            starts_at__gte=day_starts, starts_at__lt=day_starts + timedelta(days=1)
        )
        if self.shown:
            listed = listed.filter(practitioner=self.shown)
        scope = {"practitioner": self.shown.pk} if self.shown else {}
        config = {
            "view": VIEWS[self.view][0 if self.shown else 1],
            "date": self.day.isoformat(),
            "events": reverse("scheduling:calendar-events"),
            "scope": scope,
            "book": reverse("scheduling:appointment-create"),
            "move": reverse("scheduling:appointment-move", args=[0]),
            "resources": [{"id": p.pk, "title": p.display_name} for p in self.team],
        }
        context = {
            "config": config,
            "team": self.team,
            "shown": self.shown,
            "view": self.view,
            "day": self.day,
            "day_before": self.day - timedelta(days=1),
            "day_after": self.day + timedelta(days=1),
            "day_list": day_list(listed, whole_clinic=self.shown is None),
        }
        return render(request, "scheduling/calendar.html", context)


def event_of(appointment: Appointment) -> dict:
    """What the calendar needs of an appointment, and no more: no notes, no health data."""
    kind = appointment.appointment_type
    title = appointment.client.display_name + (f" · {kind.name}" if kind else "")
    return {
        "id": appointment.pk,
        "resourceId": appointment.practitioner_id,
        "start": wall(appointment.starts_at),
        "end": wall(appointment.ends_at),
        "title": title,
        "color": COLOURS[appointment.status],
        "editable": appointment.is_open,
        "extendedProps": {
            "status": appointment.get_status_display(),
            "type": kind.name if kind else "",
            "room": appointment.room.name if appointment.room else "",
            "revision": appointment.revision,
            "url": reverse("scheduling:appointment-detail", args=[appointment.pk]),
        },
    }


class CalendarEventsView(PractitionerRequiredMixin, View):
    """The calendar's events between ?start= and ?end= (at most six weeks), of the clinic
    or of ?practitioner=; cancelled appointments free their slot and are left out."""

    def get(self, request):
        starts, ends = aware(request.GET.get("start")), aware(request.GET.get("end"))
        if starts is None or ends is None or ends <= starts:
            return refusal(400, "Give a start and a later end, as ISO dates.")
        if ends - starts > MAX_RANGE:
            return refusal(400, "Ask for six weeks at most.")
        found = (
            appointments_of(self.practitioner)
            .holding_time()
            .overlapping(starts, ends)
            .select_related(None)
            .select_related("client", "appointment_type", "room")
        )
        if (shown_pk := id_in(request.GET.get("practitioner", ""))) is not None:
            found = found.filter(practitioner_id=shown_pk)
        return JsonResponse([event_of(a) for a in found], safe=False)


class MoveAppointmentView(PractitionerRequiredMixin, View):
    """The calendar's drag and resize: a JSON body (or a form's) {start, end, revision,
    practitioner?, confirm?}. Answers the moved event; 400 with the clash (or with
    `confirm: true` and the reasons, outside working hours); 409 when the appointment
    changed meanwhile."""

    http_method_names = ["post"]

    def load_objects(self, pk):
        self.appointment = get_appointment_or_404(self.practitioner, pk)

    def post(self, request, pk):
        try:
            body = json.loads(request.body) if request.content_type == JSON else request.POST
            holding_nul = [name for name in body if NUL in f"{name}{body[name]}"]
            if holding_nul:
                message = str(NUL_MESSAGE)
                return refusal(400, message, errors=dict.fromkeys(holding_nul, [message]))
            starts, ends = local_moment(body.get("start")), local_moment(body.get("end"))
            revision = int(body["revision"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return refusal(400, "Send the start, the end and the revision shown.")
        if starts is None or ends is None:
            return refusal(400, "Send the start and the end as ISO times.")
        try:  # a time the clocks skip (or repeat) that night is refused, as on the form
            moved = {
                "starts_at": from_current_timezone(starts),
                "ends_at": from_current_timezone(ends),
            }
        except ValidationError as error:
            return refusal(400, " ".join(error.messages))
        if (practitioner_pk := id_in(body.get("practitioner", ""))) is not None:
            moved["practitioner"] = get_object_or_404(
                colleagues_for(self.practitioner), pk=practitioner_pk
            )
        try:
            appointment = booking.change_appointment(
                appointment=self.appointment,
                changed_by=self.practitioner,
                expected_revision=revision,
                confirm_outside_hours=body.get("confirm") in (True, "true"),
                **moved,
            )
        except StaleEdit as stale:
            return refusal(409, stale.action_message("moved"))
        except booking.NeedsConfirmation as outside:
            return refusal(400, " ".join(outside.reasons), confirm=True)
        except ValidationError as error:
            return refusal(400, " ".join(error.messages))
        appointment = appointments_of(self.practitioner).get(pk=appointment.pk)
        return JsonResponse(event_of(appointment))
