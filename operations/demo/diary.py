"""The demo clinics' diaries: appointment types, two rooms, working hours Monday to Friday
09:00–17:00, today's appointments for each practitioner (the day's first client arrived), and one
treatment plan booked as a series. Booked through the diary's rule book, in the clinic's
zone; running it twice (on one day) adds nothing."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from clinic.models import Client, Clinic, Practitioner
from scheduling import booking, plans
from scheduling.models import Appointment, AppointmentType, Room, TreatmentPlan, WorkingHours

TYPES = {"First visit": 60, "Follow-up": 45}
ROOMS = ["Room 1", "Room 2"]
# Each practitioner's day by their place in the clinic: (hour, minute, type).
DAYS = [
    [(9, 0, "First visit"), (10, 30, "Follow-up"), (13, 0, "Follow-up"), (15, 0, "Follow-up")],
    [(9, 30, "Follow-up"), (14, 0, "Follow-up")],
]
# The plan: a client (first, last name) of the first clinic, six weekly sessions at 11:30.
PLAN_CLIENT = ("Owen", "Price")
PLAN_GOAL = "Walk to work without the sciatica flaring: six weekly sessions, reviewed at 3 and 6."


def give_diary(clinic: Clinic, practitioners: list[Practitioner], clients: list[Client]) -> int:
    """The clinic's diary; the number of appointments booked now."""
    zone = zoneinfo.ZoneInfo(clinic.time_zone or settings.TIME_ZONE)
    with timezone.override(zone):
        types = {
            name: AppointmentType.objects.get_or_create(
                clinic=clinic, name=name, defaults={"minutes": minutes}
            )[0]
            for name, minutes in TYPES.items()
        }
        rooms = [Room.objects.get_or_create(clinic=clinic, name=name)[0] for name in ROOMS]
        for practitioner in practitioners:
            for weekday in range(5):
                WorkingHours.objects.get_or_create(
                    practitioner=practitioner, weekday=weekday, starts=time(9), ends=time(17)
                )
        booked = 0
        waiting = iter(clients)
        for position, practitioner in enumerate(practitioners):
            slots = DAYS[position % len(DAYS)]
            room = rooms[position % len(rooms)]
            for number, ((hour, minute, kind), client) in enumerate(
                zip(slots, waiting, strict=False)
            ):
                booked += _book_today(
                    practitioner, client, time(hour, minute), types[kind], room, arrived=number == 0
                )
        plan_client = next((c for c in clients if (c.first_name, c.last_name) == PLAN_CLIENT), None)
        if plan_client is not None:
            booked += _give_plan(plan_client, types["Follow-up"], rooms[-1])
    return booked


def _book_today(practitioner, client, at, appointment_type, room, *, arrived) -> int:
    starts_at = timezone.make_aware(datetime.combine(timezone.localdate(), at))
    if Appointment.objects.filter(practitioner=practitioner, starts_at=starts_at).exists():
        return 0
    appointment = booking.book_appointment(
        client=client,
        practitioner=practitioner,
        starts_at=starts_at,
        appointment_type=appointment_type,
        room=room,
        booked_by=practitioner,
        confirm_outside_hours=True,  # today may be a Saturday
    )
    if arrived:  # the day's first client is in the waiting room
        booking.set_status(appointment=appointment, changed_by=practitioner, status="arrived")
    return 1


def _give_plan(client, appointment_type, room) -> int:
    if TreatmentPlan.objects.filter(client=client).exists():
        return 0
    practitioner = client.primary_practitioner
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() > 4:
        day += timedelta(days=1)
    plan = plans.start_plan(
        client=client,
        practitioner=practitioner,
        created_by=practitioner,
        goal=PLAN_GOAL,
        sessions_planned=6,
        interval_days=7,
        review_at=[3, 6],
        first_starts_at=timezone.make_aware(datetime.combine(day, time(11, 30))),
        appointment_type=appointment_type,
        room=room,
    )
    return plan.appointments.count()
