"""Treatment plans: a course of sessions at an interval, booked as a series in one step.
Each occurrence is its own appointment, at the same wall-clock time in the clinic's zone
(dateutil's rrule over local times), so a weekly 10:00 stays 10:00 across a
daylight-saving change. The series is booked whole or not at all: every clash is named."""

from datetime import UTC, datetime, timedelta

from dateutil.rrule import DAILY, rrule
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import Client, Practitioner

from . import booking
from .models import Appointment, AppointmentType, Room, TreatmentPlan


def occurrences(first: datetime, *, count: int, interval_days: int) -> list[datetime]:
    """The sessions' starts. One that falls in the hour the clocks skip is read with the
    offset before the change, as RFC 5545 does (01:30 becomes 02:30 when 01:00 goes to
    02:00), and then shown as the real time it is."""
    zone = timezone.get_current_timezone()
    start = timezone.localtime(first, zone).replace(tzinfo=None)
    return [
        timezone.make_aware(moment, zone).astimezone(UTC).astimezone(zone)
        for moment in rrule(DAILY, interval=interval_days, count=count, dtstart=start)
    ]


def clean_review_at(review_at, sessions_planned: int) -> list[int]:
    try:
        numbers = sorted({int(n) for n in review_at})
    except (TypeError, ValueError):
        raise ValidationError({"review_at": "Give the review points as session numbers."}) from None
    if any(n < 1 or n > sessions_planned for n in numbers):
        raise ValidationError(
            {"review_at": f"Review points are session numbers from 1 to {sessions_planned}."}
        )
    return numbers


@transaction.atomic
def start_plan(
    *,
    client: Client,
    practitioner: Practitioner,
    created_by: Practitioner,
    goal: str,
    sessions_planned: int,
    interval_days: int,
    first_starts_at: datetime,
    appointment_type: AppointmentType | None = None,
    minutes: int | None = None,
    room: Room | None = None,
    review_at=(),
    confirm_outside_hours: bool = False,
) -> TreatmentPlan:
    """The plan and its appointments, one per session; ValidationError naming every
    occurrence that clashes (nothing is booked then)."""
    if client.clinic_id != created_by.clinic_id:
        raise PermissionDenied("That client is not one of this clinic's.")
    client.refuse_if_archived("start a treatment plan")
    errors = {}
    if not goal.strip():
        errors["goal"] = "Say what the course aims for."
    if not 1 <= sessions_planned <= 52:
        errors["sessions_planned"] = "A plan has from 1 to 52 sessions."
    if not 1 <= interval_days <= 90:
        errors["interval_days"] = "Sessions are from 1 to 90 days apart."
    if errors:
        raise ValidationError(errors)
    booking.refuse_far_start(first_starts_at, field="first_starts_at")
    reviews = clean_review_at(review_at, sessions_planned)
    length = timedelta(minutes=minutes) if minutes else None
    plan = TreatmentPlan.objects.create(
        clinic_id=client.clinic_id,
        client=client,
        practitioner=practitioner,
        goal=goal.strip(),
        sessions_planned=sessions_planned,
        interval_days=interval_days,
        review_at=reviews,
        created_by=created_by,
    )
    problems: list[str] = []
    outside: list[str] = []
    for number, starts_at in enumerate(
        occurrences(first_starts_at, count=sessions_planned, interval_days=interval_days), 1
    ):
        try:
            with transaction.atomic():
                booking.book_appointment(
                    client=client,
                    practitioner=practitioner,
                    starts_at=starts_at,
                    ends_at=starts_at + length if length else None,
                    appointment_type=appointment_type,
                    room=room,
                    booked_by=created_by,
                    confirm_outside_hours=confirm_outside_hours,
                    plan=plan,
                    plan_number=number,
                )
        except booking.NeedsConfirmation as needs:
            outside += [f"Session {number}: {reason}" for reason in needs.reasons]
        except ValidationError as error:
            problems += [
                f"Session {number}, {booking.local(starts_at)}: {m}" for m in error.messages
            ]
            if not hasattr(error, "error_dict") or not {"practitioner", "room"} & set(
                error.error_dict
            ):
                break  # not a clash: every session would say the same
    if problems:
        raise ValidationError({"first_starts_at": problems})
    if outside:
        raise booking.NeedsConfirmation(outside)
    return plan


def progress(plan: TreatmentPlan) -> dict:
    """How far the course has come: sessions done, still booked, and the next review."""
    appointments = [  # all(): a prefetch of the plans' appointments serves it
        a for a in plan.appointments.all() if a.status != Appointment.Status.CANCELLED
    ]
    done = sum(a.status == Appointment.Status.COMPLETED for a in appointments)
    missed = sum(a.status == Appointment.Status.NO_SHOW for a in appointments)
    booked = sum(a.is_open for a in appointments)
    next_review = next((n for n in plan.review_at if n > done), None)
    return {
        "done": done,
        "missed": missed,
        "booked": booked,
        "planned": plan.sessions_planned,
        "next_review": next_review,
        "percent": round(100 * done / plan.sessions_planned),
    }
