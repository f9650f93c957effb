"""The rule book of appointments: booking, moving and marking them. Pages, the calendar's
drag and drop and the API all book through here, so they refuse the same clashes with the
same messages.

Double booking is refused inside the transaction that writes: the practitioner's row (and
the room's) is locked first, so two bookings of one slot at once queue, and the second sees
the first. SQLite takes its write lock at BEGIN (IMMEDIATE transactions); on PostgreSQL an
exclusion constraint backs the check (migration 0002) and its refusal is reported the same
way."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.models import Client, Practitioner
from clinic.revisions import KEEP, Keep, locked_current

from . import hours, reminders
from .models import LONGEST_APPOINTMENT, Appointment, AppointmentType, Room

Status = Appointment.Status
FARTHEST = timedelta(days=3653)  # a start at most ten years either side of now

# Which status may follow which; "completed" is set by signing the appointment's session
# (sessions.signals.session_signed) or by hand from "arrived".
NEXT_STATUS = {
    Status.BOOKED: {Status.ARRIVED, Status.NO_SHOW, Status.CANCELLED},
    Status.ARRIVED: {Status.BOOKED, Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED},
    Status.NO_SHOW: {Status.BOOKED},
    Status.COMPLETED: set(),
    Status.CANCELLED: set(),
}
NOT_NOW = "An appointment that is {status} cannot be {done}."


def local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%a %d %b %H:%M}"


def span(appointment: Appointment) -> str:
    ends = timezone.localtime(appointment.ends_at)
    return f"{local(appointment.starts_at)}–{ends:%H:%M}"


def refuse_far_start(starts_at: datetime, *, field: str = "starts_at") -> None:
    """A start years away is a typing slip (and at the calendar's ends, reminders and
    lengths would overflow it): refused under `field`."""
    if abs(starts_at - timezone.now()) > FARTHEST:
        raise ValidationError({field: "Choose a start within ten years of today."})


class NeedsConfirmation(ValidationError):
    """The booking is outside the practitioner's working hours or in their time off: made
    only when confirmed (`confirm_outside_hours=True`)."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(
            {"starts_at": [f"{reason} Confirm to book it anyway." for reason in reasons]},
            code="outside_hours",
        )


@dataclass(frozen=True)
class Clash:
    field: str  # "practitioner" or "room"
    appointment: Appointment

    @property
    def message(self) -> str:
        other = self.appointment
        if self.field == "room":
            return (
                f"{other.room} is taken {span(other)} by {other.client.display_name}'s "
                f"appointment with {other.practitioner}."
            )
        return (
            f"{other.practitioner} is already booked {span(other)} with "
            f"{other.client.display_name}."
        )


def clashes(
    *,
    practitioner: Practitioner,
    room: Room | None,
    starts_at: datetime,
    ends_at: datetime,
    ignore: Appointment | None = None,
) -> list[Clash]:
    """The appointments the slot would overlap, for the practitioner and for the room (an
    appointment ending as another starts does not overlap it)."""
    busy = (
        Appointment.objects.holding_time()
        .overlapping(starts_at, ends_at)
        .select_related("client", "practitioner", "room")
        .order_by("starts_at")
    )
    if ignore is not None and ignore.pk:
        busy = busy.exclude(pk=ignore.pk)
    found = [Clash("practitioner", a) for a in busy.filter(practitioner=practitioner)[:1]]
    if room is not None:
        found += [Clash("room", a) for a in busy.filter(room=room)[:1]]
    return found


def refuse_clashes(found: list[Clash]) -> None:
    if found:
        errors: dict[str, list[str]] = {}
        for clash in found:
            errors.setdefault(clash.field, []).append(clash.message)
        raise ValidationError(errors, code="clash")


def _lock(practitioner: Practitioner, room: Room | None) -> None:
    Practitioner.objects.select_for_update().filter(pk=practitioner.pk).first()
    if room is not None:
        Room.objects.select_for_update().filter(pk=room.pk).first()


def _refuse_bad_slot(
    *, clinic_id: int, practitioner, room, appointment_type, starts_at, ends_at, kept=()
) -> None:
    """`kept`: "practitioner" and "room" when an edit keeps the saved one, which may have
    left or been retired since: only a new choice must be active."""
    errors = {}
    if practitioner.clinic_id != clinic_id:
        errors["practitioner"] = "Choose a practitioner of this clinic."
    elif not practitioner.is_active and "practitioner" not in kept:
        errors["practitioner"] = f"{practitioner} is no longer active here."
    retired = room is not None and not room.is_active and "room" not in kept
    if room is not None and (room.clinic_id != clinic_id or retired):
        errors["room"] = "Choose one of this clinic's rooms in use."
    if appointment_type is not None and appointment_type.clinic_id != clinic_id:
        errors["appointment_type"] = "Choose one of this clinic's appointment types."
    if ends_at <= starts_at:
        errors["ends_at"] = "The end must be after the start."
    elif ends_at - starts_at > LONGEST_APPOINTMENT:
        errors["ends_at"] = "An appointment lasts 8 hours at most."
    if errors:
        raise ValidationError(errors)


def _refuse_retired_type(appointment_type: AppointmentType | None) -> None:
    """A type no longer offered is not chosen anew (its appointments keep it)."""
    if appointment_type is not None and not appointment_type.is_active:
        raise ValidationError(
            {"appointment_type": f"{appointment_type.name} is no longer offered. Choose another."}
        )


def _save_checked(appointment: Appointment, *, confirm_outside_hours: bool) -> Appointment:
    """Check the slot under the locks, then write; the database's own refusal (the
    exclusion constraint) reads the same as the check's."""
    _lock(appointment.practitioner, appointment.room)
    refuse_clashes(
        clashes(
            practitioner=appointment.practitioner,
            room=appointment.room,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            ignore=appointment,
        )
    )
    if not confirm_outside_hours:
        reasons = hours.outside_hours(
            appointment.practitioner, appointment.starts_at, appointment.ends_at
        )
        if reasons:
            raise NeedsConfirmation(reasons)
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:
        if "appointment_no_double_booking" not in str(error):
            raise
        refuse_clashes(clashes_after_refusal(appointment))
        raise ValidationError(
            {"starts_at": "This slot was just booked. Choose another."}
        ) from error
    reminders.schedule_for(appointment)
    return appointment


def clashes_after_refusal(appointment: Appointment) -> list[Clash]:
    return clashes(
        practitioner=appointment.practitioner,
        room=appointment.room,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        ignore=appointment,
    )


def ends_from(
    starts_at: datetime, ends_at: datetime | None, appointment_type: AppointmentType | None
) -> datetime:
    if ends_at is not None:
        return ends_at
    if appointment_type is None:
        raise ValidationError({"appointment_type": "Choose a type of appointment, or an end."})
    return starts_at + timedelta(minutes=appointment_type.minutes)


@transaction.atomic
def book_appointment(
    *,
    client: Client,
    practitioner: Practitioner,
    starts_at: datetime,
    booked_by: Practitioner,
    ends_at: datetime | None = None,
    appointment_type: AppointmentType | None = None,
    room: Room | None = None,
    notes: str = "",
    confirm_outside_hours: bool = False,
    plan=None,
    plan_number: int | None = None,
) -> Appointment:
    """Book the client with the practitioner. The end comes from the type's length unless
    given. Refused (ValidationError by field) when the practitioner or the room is busy
    then; NeedsConfirmation when it is outside the practitioner's hours."""
    if client.clinic_id != booked_by.clinic_id:
        raise PermissionDenied("That client is not one of this clinic's.")
    client.refuse_if_archived("book an appointment")
    refuse_far_start(starts_at)
    _refuse_retired_type(appointment_type)
    ends_at = ends_from(starts_at, ends_at, appointment_type)
    _refuse_bad_slot(
        clinic_id=client.clinic_id,
        practitioner=practitioner,
        room=room,
        appointment_type=appointment_type,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    appointment = Appointment(
        clinic_id=client.clinic_id,
        client=client,
        practitioner=practitioner,
        appointment_type=appointment_type,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        notes=notes,
        plan=plan,
        plan_number=plan_number,
        created_by=booked_by,
    )
    return _save_checked(appointment, confirm_outside_hours=confirm_outside_hours)


def _kept(value, saved):
    return saved if isinstance(value, Keep) else value


@transaction.atomic
def change_appointment(
    *,
    appointment: Appointment,
    changed_by: Practitioner,
    expected_revision: int | None,
    starts_at: datetime | Keep = KEEP,
    ends_at: datetime | Keep = KEEP,
    practitioner: Practitioner | Keep = KEEP,
    room: Room | None | Keep = KEEP,
    appointment_type: AppointmentType | None | Keep = KEEP,
    notes: str | Keep = KEEP,
    confirm_outside_hours: bool = False,
) -> Appointment:
    """Move, resize or edit an open appointment (booked or arrived), under the same rules
    as booking it; refused over a newer revision (StaleEdit)."""
    if appointment.clinic_id != changed_by.clinic_id:
        raise PermissionDenied("That appointment is not one of this clinic's.")
    if not isinstance(starts_at, Keep):
        refuse_far_start(starts_at)
    locked = locked_current(
        Appointment, appointment.pk, expected_revision=expected_revision, noun="appointment"
    )
    if not locked.is_open:
        raise ValidationError(
            NOT_NOW.format(status=locked.get_status_display().lower(), done="changed")
        )
    if _kept(appointment_type, locked.appointment_type) != locked.appointment_type:
        _refuse_retired_type(appointment_type)
    moved_from = (locked.starts_at, locked.ends_at)
    saved = {"practitioner": locked.practitioner_id, "room": locked.room_id}
    locked.starts_at = _kept(starts_at, locked.starts_at)
    locked.ends_at = _kept(ends_at, locked.ends_at)
    locked.practitioner = _kept(practitioner, locked.practitioner)
    locked.room = _kept(room, locked.room)
    locked.appointment_type = _kept(appointment_type, locked.appointment_type)
    locked.notes = _kept(notes, locked.notes)
    _refuse_bad_slot(
        clinic_id=locked.clinic_id,
        practitioner=locked.practitioner,
        room=locked.room,
        appointment_type=locked.appointment_type,
        starts_at=locked.starts_at,
        ends_at=locked.ends_at,
        kept={name for name, pk in saved.items() if getattr(locked, f"{name}_id") == pk},
    )
    unchanged_slot = (locked.starts_at, locked.ends_at) == moved_from
    return _save_checked(locked, confirm_outside_hours=confirm_outside_hours or unchanged_slot)


@transaction.atomic
def set_status(
    *,
    appointment: Appointment,
    changed_by: Practitioner,
    status: str,
    expected_revision: int | None = None,
    reason: str = "",
) -> Appointment:
    """Mark the appointment arrived, no-show, completed or cancelled (with a reason), or
    back to booked from arrived or no-show (a mistake undone)."""
    if appointment.clinic_id != changed_by.clinic_id:
        raise PermissionDenied("That appointment is not one of this clinic's.")
    locked = locked_current(
        Appointment, appointment.pk, expected_revision=expected_revision, noun="appointment"
    )
    if status not in Status.values:
        raise ValidationError({"status": f"“{status}” is not a status."})
    if status == locked.status:
        return locked
    if status not in NEXT_STATUS[locked.status]:
        raise ValidationError(
            {
                "status": NOT_NOW.format(
                    status=locked.get_status_display().lower(),
                    done=f"marked {Status(status).label.lower()}",
                )
            }
        )
    reason = reason.strip()
    if status == Status.CANCELLED and not reason:
        raise ValidationError({"cancel_reason": "Say why the appointment is cancelled."})
    locked.status = status
    locked.cancel_reason = reason if status == Status.CANCELLED else ""
    locked.save()
    reminders.schedule_for(locked)
    return locked
