"""The "Start session" button of today's list (panels.todays_appointments): the session form for the
appointment's client, linked to it (visits.py). Its Arrived and No-show buttons post to the
appointment's status route (views/appointments.py)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect

from sessions.views import SessionCreateView

from .. import visits
from .appointments import get_appointment_or_404


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
