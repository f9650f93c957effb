"""Sending reminders, each once. A worker claims a reminder with one conditional UPDATE (it
is still unsent, not cancelled, due, and nobody else holds it), so of two workers reaching
the same reminder at once exactly one sends it; the other's UPDATE matches no row. A failed
send is recorded (`attempts`, `last_error`) and tried again by a later sweep once `retry_at`
has come (BACKOFF), up to MAX_ATTEMPTS in all. A worker that stopped while sending leaves
its claim: after CLAIM_TIMEOUT another may take the reminder again.

What a reminder says is `wording()`'s alone, built from the clinic's name and phone, the
time in the clinic's zone, the practitioner's name and the client's first (or preferred)
name: never the appointment's type, notes or anything of the client's health."""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from clinic.timezones import zone_of

from . import sms
from .models import Appointment, Reminder

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF = [timedelta(minutes=m) for m in (5, 15, 60, 240)]  # after the 1st, 2nd… failure
CLAIM_TIMEOUT = timedelta(minutes=15)
BATCH = 200  # reminders a sweep sends at most; the next sweep takes the rest


def due(now: datetime):
    """The reminders a worker may claim now."""
    return (
        Reminder.objects.filter(
            sent_at__isnull=True, cancelled_at__isnull=True, attempts__lt=MAX_ATTEMPTS
        )
        .filter(Q(retry_at__isnull=True, due_at__lte=now) | Q(retry_at__lte=now))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - CLAIM_TIMEOUT))
    )


def claim(reminder_id: int, now: datetime) -> datetime | None:
    """Take the reminder to send it: the claim's time when this worker got it, None when it
    is not due or another worker has it."""
    claimed_at = timezone.now()
    taken = (
        due(now).filter(pk=reminder_id).update(claimed_at=claimed_at, attempts=F("attempts") + 1)
    )
    return claimed_at if taken == 1 else None


@dataclass(frozen=True)
class Wording:
    subject: str
    email: str
    sms: str


def when(appointment: Appointment) -> str:
    zone = zone_of(appointment.clinic) or timezone.get_default_timezone()
    local = timezone.localtime(appointment.starts_at, zone)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def wording(appointment: Appointment) -> Wording:
    """The only words a reminder has. Nothing else of the appointment or the client is read
    here, so nothing else can reach the client's inbox or phone."""
    clinic = appointment.clinic
    name = appointment.client.preferred_name or appointment.client.first_name
    practitioner = appointment.practitioner.display_name
    at = when(appointment)
    call = f"call us on {clinic.phone}" if clinic.phone else "let us know"
    email = (
        f"Hello {name},\n\n"
        f"This is a reminder of your appointment with {practitioner} at {clinic.name} "
        f"on {at}.\n\n"
        f"If you cannot come, please {call} so that we can offer the time to someone else.\n\n"
        f"{clinic.name}\n{clinic.phone}\n"
    )
    text = f"{clinic.name}: a reminder of your appointment with {practitioner} on {at}."
    if clinic.phone:
        text += f" To change it, call {clinic.phone}."
    return Wording(
        subject=f"Reminder: your appointment at {clinic.name} on {at}", email=email, sms=text
    )


def address_of(reminder: Reminder) -> str:
    client = reminder.appointment.client
    return client.email if reminder.channel == Reminder.Channel.EMAIL else client.phone


def deliver(reminder: Reminder, to: str) -> None:
    words = wording(reminder.appointment)
    if reminder.channel == Reminder.Channel.EMAIL:
        clinic = reminder.appointment.clinic
        EmailMessage(
            subject=words.subject,
            body=words.email,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            reply_to=[clinic.email] if clinic.email else None,
        ).send()
    else:
        sms.send_sms(to, words.sms)


def still_wanted(reminder: Reminder, now: datetime) -> bool:
    """Checked again at sending: booking cancels the reminders of an appointment cancelled
    or moved, but the appointment may have changed since the reminder was found (and a
    client archived since is not reminded)."""
    appointment = reminder.appointment
    return (
        appointment.status == Appointment.Status.BOOKED
        and not appointment.client.archived
        and appointment.starts_at > now
        and reminder.due_at < appointment.starts_at
        and bool(address_of(reminder))
    )


def send_reminder(reminder_id: int, *, now: datetime | None = None) -> str:
    """Send one reminder if it is due and no other worker has it. Returns what happened:
    "sent", "failed" (to be tried again, or given up), "cancelled" or "not due"."""
    now = now or timezone.now()
    claimed_at = claim(reminder_id, now)
    if claimed_at is None:
        return "not due"
    reminder = Reminder.objects.select_related(
        "appointment__client", "appointment__practitioner", "appointment__clinic"
    ).get(pk=reminder_id)
    ours = Reminder.objects.filter(pk=reminder_id, claimed_at=claimed_at)
    if not still_wanted(reminder, now):
        ours.update(cancelled_at=timezone.now(), claimed_at=None)
        return "cancelled"
    to = address_of(reminder)
    try:
        deliver(reminder, to)
    except Exception as error:  # a mail server or SMS provider refusing: recorded, retried
        logger.warning("Reminder %s not sent: %s", reminder_id, error)
        failed(reminder, claimed_at=claimed_at, error=error, now=now)
        return "failed"
    ours.update(sent_at=timezone.now(), sent_to=to, claimed_at=None, retry_at=None, last_error="")
    return "sent"


def failed(reminder: Reminder, *, claimed_at: datetime, error: Exception, now: datetime) -> None:
    attempts = reminder.attempts  # this attempt included: the claim counted it
    retry_at = now + BACKOFF[attempts - 1] if attempts < MAX_ATTEMPTS else None
    message = f"{type(error).__name__}: {error}"
    if retry_at is None:
        message = f"Gave up after {attempts} attempts. {message}"
    Reminder.objects.filter(pk=reminder.pk, claimed_at=claimed_at).update(
        claimed_at=None, retry_at=retry_at, last_error=message[:300]
    )


def send_due(*, now: datetime | None = None) -> dict[str, int]:
    """Send every reminder due now (BATCH at most): what a sweep does, and what catches a
    reminder whose own task was lost. Counts each outcome."""
    now = now or timezone.now()
    waiting = due(now).order_by("due_at", "pk").values_list("pk", flat=True)[:BATCH]
    return dict(Counter(send_reminder(pk, now=now) for pk in list(waiting)))
