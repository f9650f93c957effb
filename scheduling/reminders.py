"""Which reminders an appointment has: one per channel the clinic sends and the client can
receive, due a set time before (24 hours by default). Booking, moving and cancelling keep
them in step, and enqueue each new reminder's task (tasks.py) for its due time; sending
is `sending.py`'s, once each."""

from datetime import timedelta

from django.utils import timezone

from . import tasks
from .models import Appointment, DiarySettings, Reminder


def settings_of(clinic_id: int) -> DiarySettings:
    found = DiarySettings.objects.filter(clinic_id=clinic_id).first()
    return found or DiarySettings(clinic_id=clinic_id)


def channels_for(appointment: Appointment, settings: DiarySettings) -> list[str]:
    channels = []
    if settings.email_reminders and appointment.client.email:
        channels.append(Reminder.Channel.EMAIL)
    if settings.sms_reminders and appointment.client.phone:
        channels.append(Reminder.Channel.SMS)
    return channels


def schedule_for(appointment: Appointment) -> None:
    """Called inside the booking's transaction. A pending reminder is cancelled when the
    appointment is no longer booked, or moved so that its reminder is due at another time;
    a sent one is kept as the record that it went."""
    pending = Reminder.objects.filter(
        appointment=appointment, sent_at__isnull=True, cancelled_at__isnull=True
    )
    now = timezone.now()
    if appointment.status != Appointment.Status.BOOKED:
        pending.update(cancelled_at=now)
        return
    settings = settings_of(appointment.clinic_id)
    due_at = appointment.starts_at - timedelta(hours=settings.reminder_hours_before)
    wanted = set(channels_for(appointment, settings)) if appointment.starts_at > now else set()
    pending.exclude(channel__in=wanted).update(cancelled_at=now)
    pending.filter(channel__in=wanted).exclude(due_at=due_at).update(cancelled_at=now)
    have = set(pending.filter(due_at=due_at).values_list("channel", flat=True))
    already_sent = set(
        Reminder.objects.filter(
            appointment=appointment, sent_at__isnull=False, due_at=due_at
        ).values_list("channel", flat=True)
    )
    made = Reminder.objects.bulk_create(
        Reminder(appointment=appointment, channel=channel, due_at=due_at)
        for channel in sorted(wanted - have - already_sent)
    )
    for reminder in made:  # the worker runs it when due; the sweep catches it if not
        tasks.send_reminder_task.using(run_after=due_at).enqueue(reminder.pk)
