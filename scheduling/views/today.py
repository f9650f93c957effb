"""The practitioner's day on the dashboard (panels.todays_appointments): "Arrived" and
"No-show" mark an appointment, "Start session" opens the session form for its client,
linked to it (visits.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from clinic.access import PractitionerRequiredMixin
from clinic.revisions import StaleEdit, posted_revision
from sessions.views import SessionCreateView

from .. import booking, visits
from ..models import Appointment

Status = Appointment.Status
MARKS = {
    Status.ARRIVED: "marked arrived",
    Status.NO_SHOW: "marked as a no-show",
    Status.BOOKED: "back to booked",
}


def appointments_of(practitioner):
    return Appointment.objects.for_clinic(practitioner.clinic_id)


def get_appointment_or_404(practitioner, pk):
    found = appointments_of(practitioner).select_related("client", "appointment_type")
    return get_object_or_404(found, pk=pk)


class MarkAppointmentView(PractitionerRequiredMixin, View):
    """POST status= (arrived, no_show, or booked to undo one) and the revision shown."""

    http_method_names = ["post"]

    def load_objects(self, pk):
        self.appointment = get_appointment_or_404(self.practitioner, pk)

    def post(self, request, pk):
        status = request.POST.get("status", "")
        name = self.appointment.client.display_name
        try:
            if status not in MARKS:
                raise ValidationError("Choose Arrived or No-show.")
            booking.set_status(
                appointment=self.appointment,
                changed_by=self.practitioner,
                status=status,
                expected_revision=posted_revision(request),
            )
        except StaleEdit as stale:
            messages.error(request, stale.action_message("marked"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"{name}'s appointment {MARKS[status]}.")
        return redirect("clinic:dashboard")


class StartSessionView(SessionCreateView):
    """The session form for the appointment's client; saving it links the session to the
    appointment. An appointment that has its session already goes to that session."""

    template_name = "scheduling/session_for_appointment.html"

    def load_objects(self, pk):
        self.appointment = get_appointment_or_404(self.practitioner, pk)
        if self.appointment.session_id is not None:
            return redirect("sessions:session-detail", pk=self.appointment.session_id)
        if not self.appointment.is_open:
            messages.error(self.request, visits.not_open(self.appointment))
            return redirect("clinic:client-detail", pk=self.appointment.client_id)
        self.client = self.appointment.client
        return None

    def page_context(self):
        return {"appointment": self.appointment}

    @transaction.atomic
    def save(self, form, **values):
        session = super().save(form, **values)
        visits.link_session(
            appointment=self.appointment, session=session, linked_by=self.practitioner
        )
        return session
