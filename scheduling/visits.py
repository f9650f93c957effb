"""An appointment and the session recorded at it: "Start session" links the two (the client
has arrived, then), and signing the session completes the appointment."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from clinic.models import Practitioner
from clinic.revisions import locked_current
from sessions.models import TreatmentSession

from . import booking
from .models import Appointment

Status = Appointment.Status


def not_open(appointment: Appointment) -> str:
    """Why a session cannot be started at an appointment that is over."""
    status = appointment.get_status_display().lower()
    return booking.NOT_NOW.format(status=status, done="given a session")


@transaction.atomic
def link_session(
    *, appointment: Appointment, session: TreatmentSession, linked_by: Practitioner
) -> Appointment:
    """Record that `session` was the treatment at `appointment`; a booked appointment is
    marked arrived. Refused when the appointment already has a session, is over, or is
    another client's."""
    if appointment.clinic_id != linked_by.clinic_id:
        raise PermissionDenied("That appointment is not one of this clinic's.")
    locked = locked_current(Appointment, appointment.pk, expected_revision=None, noun="appointment")
    if locked.session_id is not None:
        raise ValidationError("This appointment already has its session.")
    if session.client_id != locked.client_id:
        raise ValidationError("That session is another client's.")
    if not locked.is_open:
        raise ValidationError(not_open(locked))
    locked.session = session
    if locked.status == Status.BOOKED:
        locked.status = Status.ARRIVED
    locked.save()
    return locked


@transaction.atomic
def complete_for_signed(*, session: TreatmentSession, signed_by: Practitioner) -> None:
    """The appointment whose session was just signed is completed, if it is still open
    (one marked no-show or cancelled since stays as it is: its row is locked before it is
    read, so a cancel committed meanwhile is seen)."""
    appointment = Appointment.objects.select_for_update().filter(session=session).first()
    if appointment is None or not appointment.is_open:
        return
    if appointment.status == Status.BOOKED:  # "arrived" undone after the session began
        appointment = booking.set_status(
            appointment=appointment, changed_by=signed_by, status=Status.ARRIVED
        )
    booking.set_status(appointment=appointment, changed_by=signed_by, status=Status.COMPLETED)
