"""What the diary adds to the clinic's pages (see clinic.panels): the practitioner's day on
the dashboard, and the client's treatment plans on the client page."""

from datetime import datetime, time, timedelta

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from catalogue.models import HealthFlag
from sessions.models import TreatmentSession

from . import plans
from .models import Appointment, TreatmentPlan


def local_day(day) -> tuple[datetime, datetime]:
    """The day's first moment and the next day's, in the current (the clinic's) zone."""
    starts = timezone.make_aware(datetime.combine(day, time.min))
    return starts, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def todays_appointments(*, practitioner):
    """The practitioner's appointments today (cancelled ones left out), each with its
    client's health flags (`flag_labels`) and last session (`last_session_pk`,
    `last_session_at`). Two queries, however many: the day with the last sessions as
    subqueries, and the flags' labels."""
    starts, ends = local_day(timezone.localdate())
    sessions = TreatmentSession.objects.for_clinic(practitioner.clinic_id).filter(
        client=OuterRef("client")
    )
    last = sessions.order_by("-started_at", "-pk")
    day = list(
        Appointment.objects.for_clinic(practitioner.clinic_id)
        .filter(practitioner=practitioner, starts_at__gte=starts, starts_at__lt=ends)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("client", "appointment_type", "room", "plan")
        .annotate(
            last_session_pk=Subquery(last.values("pk")[:1]),
            last_session_at=Subquery(last.values("started_at")[:1]),
        )
    )
    codes = {code for appointment in day for code in appointment.client.health_flags}
    labels = (
        dict(HealthFlag.objects.filter(code__in=codes).values_list("code", "label"))
        if codes
        else {}
    )
    for appointment in day:
        appointment.flag_labels = [labels.get(c, c) for c in appointment.client.health_flags]
    return {"today": day, "today_date": timezone.localdate()}


def plans_with_appointments(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "appointments",
            Appointment.objects.select_related("room", "appointment_type").order_by(
                "plan_number", "starts_at"
            ),
        )
    )


PLANS_SHOWN = 10


def client_plans(*, practitioner, client, query):
    """The client's latest treatment plans with their progress: two queries, however many
    (one more plan is read to tell whether there are older ones)."""
    found = list(
        plans_with_appointments(
            TreatmentPlan.objects.for_clinic(practitioner.clinic_id)
            .filter(client=client)
            .order_by("-created_at", "-pk")[: PLANS_SHOWN + 1]
        )
    )
    return {
        "client_plans": [(plan, plans.progress(plan)) for plan in found[:PLANS_SHOWN]],
        "more_plans": len(found) > PLANS_SHOWN,
    }
