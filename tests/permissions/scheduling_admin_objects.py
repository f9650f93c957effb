"""Issue 15: the record each of the diary's admin pages opens (routes_admin.py's
ADMIN_OBJECTS), by model label; each built from the world's owner and appointment."""

from datetime import time, timedelta

from scheduling import plans
from scheduling.models import (
    AppointmentType,
    DiarySettings,
    Reminder,
    Room,
    TimeOff,
    WorkingHours,
)


def plan(w):
    return plans.start_plan(
        client=w.client,
        practitioner=w.owner,
        created_by=w.owner,
        goal="Sleep through the night",
        sessions_planned=2,
        interval_days=7,
        first_starts_at=w.appointment.starts_at + timedelta(days=1),
        minutes=45,
    )


def reminder(w):
    found = w.appointment.reminders.first()  # made when booked, if the client has an email
    return found or Reminder.objects.create(
        appointment=w.appointment,
        channel=Reminder.Channel.EMAIL,
        due_at=w.appointment.starts_at - timedelta(hours=24),
    )


def time_off(w):
    starts_at = w.appointment.starts_at + timedelta(days=2)
    return TimeOff.objects.create(
        practitioner=w.owner, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3)
    )


ADMIN_OBJECTS = {
    "scheduling.Room": lambda w: Room.objects.create(clinic=w.owner.clinic, name="Room 1"),
    "scheduling.AppointmentType": lambda w: AppointmentType.objects.create(
        clinic=w.owner.clinic, name="Follow-up", minutes=45
    ),
    "scheduling.WorkingHours": lambda w: WorkingHours.objects.create(
        practitioner=w.owner, weekday=0, starts=time(9), ends=time(13)
    ),
    "scheduling.TimeOff": time_off,
    "scheduling.DiarySettings": lambda w: DiarySettings.objects.get_or_create(
        clinic=w.owner.clinic
    )[0],
    "scheduling.Appointment": lambda w: w.appointment,
    "scheduling.TreatmentPlan": plan,
    "scheduling.Reminder": reminder,
}
