"""Booking an appointment, its page, editing it, and marking it (arrived, no-show,
cancelled with a reason, back to booked). Every write goes through booking.py."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from clinic.access import PractitionerRequiredMixin, colleagues_for, get_client_or_404
from clinic.revisions import StaleEdit, posted_revision, show_conflicts

from .. import booking
from ..forms.appointments import BookAppointmentForm, CancelForm, EditAppointmentForm
from ..forms.fields import in_diary_years
from ..models import Appointment

Status = Appointment.Status
# The status buttons: what each sets, its label, and the statuses it is offered from.
ACTIONS = {
    Status.ARRIVED: "Arrived",
    Status.NO_SHOW: "No-show",
    Status.BOOKED: "Back to booked",
}
NOT_OFFERED = "Choose one of the buttons offered."
EDITED_FIELDS = ["practitioner", "appointment_type", "room", "starts_at", "notes"]


def appointments_of(practitioner):
    return Appointment.objects.for_clinic(practitioner.clinic_id).select_related(
        "client", "practitioner", "appointment_type", "room"
    )


def get_appointment_or_404(practitioner, pk):
    return get_object_or_404(appointments_of(practitioner), pk=pk)


def id_in(text) -> int | None:
    """An id sent in a query or a body (?client=, a drag's practitioner): ASCII digits a
    database key can hold, or None ("²" is a digit to str.isdigit, not to int)."""
    text = str(text)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def local_moment(text: str | None) -> datetime | None:
    """A time sent by the calendar (an empty slot, a drag, its range): a wall-clock time in
    the clinic's zone. The calendar runs in UTC to keep wall times as they are, so an
    offset it adds ("Z") is dropped, not converted. None when it is not a time, or not in
    the diary's years."""
    if "\x00" in (text or ""):  # fromisoformat() reads up to a trailing NUL
        return None
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    if not in_diary_years(moment):
        return None
    return moment.replace(second=0, microsecond=0, tzinfo=None)


class BookAppointmentView(PractitionerRequiredMixin, View):
    """?client=, ?start= and ?practitioner= prefill the form (the client page's button, the
    calendar's empty slot); a client or practitioner not of this clinic is a 404."""

    template_name = "scheduling/appointment_form.html"

    def initial(self):
        query = self.request.GET
        initial = {"practitioner": self.practitioner}
        if (client_pk := id_in(query.get("client", ""))) is not None:
            initial["client"] = get_client_or_404(self.practitioner, client_pk)
        if (practitioner_pk := id_in(query.get("practitioner", ""))) is not None:
            initial["practitioner"] = get_object_or_404(
                colleagues_for(self.practitioner), pk=practitioner_pk
            )
        if start := local_moment(query.get("start")):
            initial["starts_at"] = start
        return initial

    def render_form(self, form):
        context = {"form": form, "appointment": None, "find": self.find()}
        return render(self.request, self.template_name, context)

    def get(self, request):
        form = BookAppointmentForm(
            practitioner=self.practitioner, initial=self.initial(), find=self.find()
        )
        return self.render_form(form)

    def find(self) -> str:
        return self.request.GET.get("find", "")[:100]

    def post(self, request):
        form = BookAppointmentForm(request.POST, practitioner=self.practitioner, find=self.find())
        if not form.is_valid():
            return self.render_form(form)
        try:
            appointment = booking.book_appointment(
                client=form.cleaned_data["client"], booked_by=self.practitioner, **form.slot()
            )
        except ValidationError as error:
            form.refused(error)
            return self.render_form(form)
        messages.success(
            request, f"Booked: {appointment.client.display_name}, {booking.span(appointment)}."
        )
        return redirect("scheduling:appointment-detail", pk=appointment.pk)


class AppointmentDetailView(PractitionerRequiredMixin, View):
    def load_objects(self, pk):
        self.appointment = get_appointment_or_404(self.practitioner, pk)

    def get(self, request, pk):
        return render(request, "scheduling/appointment_detail.html", self.context())

    def context(self, cancel_form=None):
        appointment = self.appointment
        allowed = booking.NEXT_STATUS[appointment.status]
        return {
            "appointment": appointment,
            "actions": [(status, label) for status, label in ACTIONS.items() if status in allowed],
            "may_cancel": Status.CANCELLED in allowed,
            "cancel_form": cancel_form or CancelForm(),
        }


class EditAppointmentView(PractitionerRequiredMixin, View):
    template_name = "scheduling/appointment_form.html"

    def load_objects(self, pk):
        self.appointment = get_appointment_or_404(self.practitioner, pk)
        if not self.appointment.is_open:
            messages.error(
                self.request,
                booking.NOT_NOW.format(
                    status=self.appointment.get_status_display().lower(), done="changed"
                ),
            )
            return redirect("scheduling:appointment-detail", pk=pk)
        return None

    def render_form(self, form):
        context = {"form": form, "appointment": self.appointment}
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        a = self.appointment
        initial = {
            "practitioner": a.practitioner,
            "appointment_type": a.appointment_type,
            "room": a.room,
            "starts_at": timezone.localtime(a.starts_at).replace(tzinfo=None),
            "minutes": a.minutes,
            "notes": a.notes,
            "revision": a.revision,
        }
        return self.render_form(
            EditAppointmentForm(practitioner=self.practitioner, initial=initial)
        )

    def post(self, request, pk):
        form = EditAppointmentForm(request.POST, practitioner=self.practitioner)
        if not form.is_valid():
            return self.render_form(form)
        slot = form.slot()
        if slot["ends_at"] is None:  # no length given: the type's, or the one it had
            kind, a = slot["appointment_type"], self.appointment
            length = timedelta(minutes=kind.minutes) if kind else a.ends_at - a.starts_at
            slot["ends_at"] = slot["starts_at"] + length
        if "room" not in form.fields:
            slot.pop("room")
        try:
            appointment = booking.change_appointment(
                appointment=self.appointment,
                changed_by=self.practitioner,
                expected_revision=form.cleaned_data["revision"],
                **slot,
            )
        except StaleEdit as stale:
            show_conflicts(form, stale.current, EDITED_FIELDS)
            form.add_error(None, stale.message)
            return self.render_form(form)
        except ValidationError as error:
            form.refused(error)
            return self.render_form(form)
        messages.success(request, f"Saved: {booking.span(appointment)}.")
        return redirect("scheduling:appointment-detail", pk=appointment.pk)


class AppointmentStatusView(AppointmentDetailView):
    """The status buttons of the appointment's page and of today's list on the dashboard:
    POST status= (and reason= to cancel), with the revision the page was shown at;
    next=dashboard goes back to the dashboard."""

    http_method_names = ["post"]

    def post(self, request, pk):
        status = request.POST.get("status", "")
        to_dashboard = request.POST.get("next") == "dashboard"
        cancel_form = CancelForm(request.POST if status == Status.CANCELLED else None)
        if status == Status.CANCELLED and not cancel_form.is_valid():
            if not to_dashboard:
                context = self.context(cancel_form)
                return render(request, "scheduling/appointment_detail.html", context)
            messages.error(request, "Say why the appointment is cancelled.")
            return redirect("clinic:dashboard")
        reason = cancel_form.cleaned_data["reason"] if status == Status.CANCELLED else ""
        name = self.appointment.client.display_name
        try:
            if status not in Status.values:
                raise ValidationError(NOT_OFFERED)
            appointment = booking.set_status(
                appointment=self.appointment,
                changed_by=self.practitioner,
                status=status,
                expected_revision=posted_revision(request),
                reason=reason,
            )
        except StaleEdit as stale:
            messages.error(request, stale.action_message("marked"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            done = appointment.get_status_display().lower()
            messages.success(request, f"{name}'s appointment is marked {done}.")
        if to_dashboard:
            return redirect("clinic:dashboard")
        return redirect("scheduling:appointment-detail", pk=pk)
