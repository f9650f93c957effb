"""Issue 15: the permission matrix rows for the diary's plans routes (routes.py adds ROWS to
MATRIX). The world's `appointment` is the owner's, booked with the world's client. A
colleague starts a plan for the clinic's client and reads its page as the owner does."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from scheduling import plans
from scheduling.models import AppointmentType, TreatmentPlan

from .support import Row, get, page, post

CLIENT = ("client.pk",)


def follow_up(w):
    return AppointmentType.objects.get_or_create(
        clinic=w.owner.clinic, name="Follow-up", defaults={"minutes": 45}
    )[0]


def first_start(w, days=2):
    """Clear of the world's appointment (tomorrow at 10:00)."""
    day = w.today + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(11)))


def owners_plan(w):
    return w.once(
        "plan",
        lambda: plans.start_plan(
            client=w.client,
            practitioner=w.owner,
            created_by=w.owner,
            goal="Less back pain at work",
            sessions_planned=3,
            interval_days=7,
            first_starts_at=first_start(w),
            appointment_type=follow_up(w),
            review_at=[2],
        ),
    )


def plan_body(w):
    return {
        "goal": "Sleep through the night",
        "sessions_planned": "3",
        "interval_days": "7",
        "review_at": "2",
        "first_starts_at": f"{timezone.localtime(first_start(w, 3)):%Y-%m-%dT%H:%M}",
        "practitioner": w.owner.pk,
        "appointment_type": follow_up(w).pk,
    }


def plan_booked(w, response):
    plan = TreatmentPlan.objects.get(goal="Sleep through the night")
    assert (plan.client, plan.created_by) == (w.client, w.actor)
    assert plan.appointments.count() == 3
    assert response["Location"].endswith(f"/plans/{plan.pk}/")


ROWS = [
    Row(
        "scheduling:plan-create",
        "page",
        (get(CLIENT, page()), post(CLIENT, page(302), body=plan_body, check=plan_booked)),
    ),
    Row("scheduling:plan-detail", "page", (get((lambda w: owners_plan(w).pk,), page()),)),
]
