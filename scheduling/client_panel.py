"""What the diary adds to the client page (see clinic.panels): the client's upcoming
appointments and a "Book appointment" button."""

from django.utils import timezone

from .models import Appointment


def client_appointments(*, practitioner, client, query):
    upcoming = (
        Appointment.objects.for_clinic(practitioner.clinic_id)
        .holding_time()
        .filter(client=client, ends_at__gte=timezone.now())
        .select_related("practitioner", "appointment_type", "room")
    )
    return {"upcoming_appointments": upcoming[:10]}
