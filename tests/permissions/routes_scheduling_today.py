"""Issue 15: the permission matrix rows for the diary's today routes (routes.py adds ROWS to
MATRIX). The world's `appointment` is the owner's, booked with the world's client. The
clinic's diary is everyone's in it: a colleague marks the owner's appointment and starts
its session as the owner does."""

from django.utils import timezone

from scheduling.models import Appointment
from sessions.models import TreatmentSession

from .support import Row, get, page, post

APPOINTMENT = ("appointment.pk",)


def session_body(w):
    """The session form with the pain before only: a draft to finish later."""
    return {
        "started_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}",
        "pain_before": "6",
        "points-TOTAL_FORMS": "0",
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
    }


def session_linked(w, response):
    w.appointment.refresh_from_db()
    session = TreatmentSession.objects.get(client=w.client)
    assert (session.practitioner, w.appointment.session) == (w.actor, session)
    assert w.appointment.status == Appointment.Status.ARRIVED
    assert response["Location"].endswith(f"/sessions/{session.pk}/")


ROWS = [
    Row(
        "scheduling:appointment-session",
        "page",
        (
            get(APPOINTMENT, page()),
            post(APPOINTMENT, page(302), body=session_body, check=session_linked),
        ),
    ),
]
