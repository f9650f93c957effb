"""Reminders: booked with the appointment, sent once by the worker a set time before it
(also when two workers run at once), with nothing of the client's health in them; a failed
send is tried again and recorded; a cancelled or moved appointment's old reminder never goes."""

import signal
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from scheduling import booking, sending, sms, tasks
from scheduling.models import Appointment, AppointmentType, DiarySettings
from scheduling.sms import SmsFailed
from tests.clinic.test_settings_and_commands import json_from_a_file_database
from tests.factories import ClientFactory, PractitionerFactory

NOTES = "Discussed the miscarriage last spring; press gently."
HISTORY = "Type 2 diabetes, on warfarin since the stroke."
OTHER = "Lymphoedema of the left arm after mastectomy."
CLINICAL_TYPE = "Fertility support"
HEALTH = [NOTES, HISTORY, OTHER, CLINICAL_TYPE, "Pregnancy", "pregnancy", "Blood thinners"]
HEALTH += ["warfarin", "blood_thinners", "Hale"]  # nor the client's surname


class FailingSms:
    """A provider that is down."""

    def send(self, to, body):
        raise SmsFailed("provider down")


def a_client_with_a_history(clinic):
    return ClientFactory(
        clinic=clinic,
        first_name="Margaret",
        preferred_name="Peggy",
        last_name="Hale",
        email="peggy@example.org",
        phone="07700 900123",
        health_flags=["pregnancy", "blood_thinners"],
        health_history=HISTORY,
        health_flags_other=OTHER,
    )


def book(client, practitioner, starts_at, **options):
    return booking.book_appointment(
        client=client,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        booked_by=practitioner,
        confirm_outside_hours=True,
        **options,
    )


def in_hours(hours):
    """A whole minute `hours` from now."""
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def run_worker():
    """The db_worker command's own worker, processing what is ready and stopping (--batch)."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(16),
        excluded_queue_names=[],
    ).run()


@pytest.fixture
def texts(settings):
    settings.SMS_BACKEND = "scheduling.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def by_email_and_text(practitioner, texts):
    return DiarySettings.objects.create(
        clinic=practitioner.clinic, email_reminders=True, sms_reminders=True
    )


@pytest.fixture
def keeps_signals():
    """db_worker sets its own SIGINT and SIGTERM handlers: put pytest's back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_reminder_once_with_no_health_data(
    practitioner, by_email_and_text, texts, keeps_signals
):
    clinic = practitioner.clinic
    clinic.name, clinic.phone, clinic.time_zone = "Riverside Acupressure", "020 7946 0000", "UTC"
    clinic.save()
    peggy = a_client_with_a_history(clinic)
    fertility = AppointmentType.objects.create(clinic=clinic, name=CLINICAL_TYPE, minutes=45)
    starts_at = in_hours(3)
    appointment = book(peggy, practitioner, starts_at, notes=NOTES, appointment_type=fertility)
    assert DBTaskResult.objects.ready().count() == 2  # one task per channel, due now

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    [email] = mail.outbox
    assert email.to == ["peggy@example.org"]
    [(phone, text)] = texts
    assert phone == "07700 900123"
    when = f"{starts_at:%A} {starts_at.day} {starts_at:%B} at {starts_at:%H:%M}"
    for words in (email.subject + email.body, text):
        assert when in words
        assert "Riverside Acupressure" in words and "020 7946 0000" in words
        assert "Ana Duarte" in words
        for secret in HEALTH:
            assert secret not in words
    assert email.body.startswith("Hello Peggy,")
    sent = {r.channel: r for r in appointment.reminders.all()}
    assert sent["email"].sent_to == "peggy@example.org" and sent["email"].sent_at
    assert sent["sms"].sent_to == "07700 900123" and sent["sms"].sent_at
    assert [r.attempts for r in sent.values()] == [1, 1]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}

    shown = render_to_string("scheduling/_reminders.html", {"appointment": appointment})
    assert "sent" in shown and "to peggy@example.org" in shown and "to 07700 900123" in shown


def race(workers: int) -> dict:
    """Two (or more) workers reach one due reminder at once: by its own task and by the
    sweep, each worker running the db_worker code after a common start."""
    practitioner = PractitionerFactory(display_name="Ana Duarte")
    client = ClientFactory(clinic=practitioner.clinic, email="race@example.org")
    appointment = book(client, practitioner, in_hours(2))
    [reminder] = appointment.reminders.all()
    for _ in range(workers):  # more work than one worker: each has some
        tasks.send_reminder_task.enqueue(reminder.pk)
        tasks.send_due_reminders.enqueue()
    start = threading.Barrier(workers)
    outcomes = []

    def work():
        try:
            start.wait()
            outcomes.append(sending.send_reminder(reminder.pk))
            run_worker()
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reminder.refresh_from_db()
    return {
        "emails": [m.to for m in mail.outbox],
        "outcomes": sorted(outcomes),
        "attempts": reminder.attempts,
        "sent_to": reminder.sent_to,
        "left": DBTaskResult.objects.exclude(status__in=["SUCCESSFUL"])
        .exclude(task_path=tasks.send_due_reminders.module_path, status="READY")
        .count(),
    }


def check_race(result, workers):
    assert result["emails"] == [["race@example.org"]]
    assert result["outcomes"] == ["not due"] * (workers - 1) + ["sent"]
    assert result["attempts"] == 1 and result["sent_to"] == "race@example.org"
    assert result["left"] == 0  # every task ran (but the next sweep, waiting its turn)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQLite test is below")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_a_reminder_once_on_postgresql():
    check_race(race(workers=4), workers=4)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL test is above")
def test_two_workers_at_once_send_a_reminder_once_on_sqlite(tmp_path):
    imports = (
        "from django.core import mail; from django.test.utils import override_settings\n"
        "from tests.scheduling.test_reminders import race\n"
        "override_settings(EMAIL_BACKEND='django.core.mail.backends.locmem.EmailBackend').enable()\n"
        "mail.outbox = []"
    )
    check_race(json_from_a_file_database(tmp_path, imports, "race(workers=4)"), workers=4)


def test_a_failed_send_is_recorded_and_tried_again_later(practitioner, settings, texts):
    DiarySettings.objects.create(
        clinic=practitioner.clinic, email_reminders=False, sms_reminders=True
    )
    peggy = a_client_with_a_history(practitioner.clinic)
    appointment = book(peggy, practitioner, in_hours(20))
    settings.SMS_BACKEND = f"{__name__}.FailingSms"
    now = timezone.now()

    assert sending.send_due(now=now) == {"failed": 1}
    reminder = appointment.reminders.get()
    assert (reminder.attempts, reminder.last_error) == (1, "SmsFailed: provider down")
    assert reminder.sent_at is None and reminder.claimed_at is None
    assert reminder.retry_at == now + timedelta(minutes=5)
    assert sending.send_due(now=now + timedelta(minutes=1)) == {}  # not before its retry
    shown = render_to_string("scheduling/_reminders.html", {"appointment": appointment})
    assert "not sent after 1 attempt: SmsFailed: provider down" in shown

    settings.SMS_BACKEND = "scheduling.sms.LocmemBackend"  # the provider is back
    assert sending.send_due(now=reminder.retry_at + timedelta(seconds=1)) == {"sent": 1}
    reminder.refresh_from_db()
    assert (reminder.attempts, reminder.last_error, reminder.sent_to) == (2, "", "07700 900123")
    assert len(texts) == 1


def test_a_reminder_that_keeps_failing_is_given_up(practitioner, settings, texts):
    DiarySettings.objects.create(
        clinic=practitioner.clinic, email_reminders=False, sms_reminders=True
    )
    appointment = book(a_client_with_a_history(practitioner.clinic), practitioner, in_hours(10))
    settings.SMS_BACKEND = f"{__name__}.FailingSms"
    now = timezone.now()
    for _ in range(sending.MAX_ATTEMPTS):
        assert sending.send_due(now=now) == {"failed": 1}
        now = appointment.reminders.get().retry_at or now
    reminder = appointment.reminders.get()
    assert reminder.attempts == sending.MAX_ATTEMPTS and reminder.retry_at is None
    assert reminder.last_error == "Gave up after 5 attempts. SmsFailed: provider down"
    assert sending.send_due(now=now + timedelta(hours=1)) == {}
    assert texts == []


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_appointment_is_not_reminded(practitioner, client_record):
    cancelled = book(client_record, practitioner, in_hours(2))
    booking.set_status(
        appointment=cancelled, changed_by=practitioner, status="cancelled", reason="Unwell"
    )
    # Cancelled behind the rule book's back: the worker looks again before it sends.
    behind = book(client_record, practitioner, in_hours(5))
    Appointment.objects.filter(pk=behind.pk).update(status="cancelled", cancel_reason="Phoned")

    run_worker()

    assert mail.outbox == []
    for appointment in (cancelled, behind):
        reminder = appointment.reminders.get()
        assert reminder.sent_at is None and reminder.cancelled_at is not None
    assert sending.send_due() == {}


def test_a_past_appointment_is_not_reminded(practitioner, client_record):
    appointment = book(client_record, practitioner, in_hours(1))
    assert sending.send_due(now=timezone.now() + timedelta(hours=2)) == {"cancelled": 1}
    assert mail.outbox == [] and appointment.reminders.get().cancelled_at is not None


def test_a_moved_appointment_is_reminded_at_its_new_time(practitioner, client_record):
    client_record.clinic.time_zone = "UTC"
    client_record.clinic.save()
    now = timezone.now()
    first = in_hours(30)  # reminded in 6 hours
    appointment = book(client_record, practitioner, first)
    moved_to = in_hours(50)
    booking.change_appointment(
        appointment=appointment,
        changed_by=practitioner,
        expected_revision=None,
        starts_at=moved_to,
        ends_at=moved_to + timedelta(minutes=45),
        confirm_outside_hours=True,
    )
    old, new = appointment.reminders.order_by("pk")
    assert old.cancelled_at is not None and new.due_at == moved_to - timedelta(hours=24)
    runs_at = set(DBTaskResult.objects.values_list("run_after", flat=True))
    assert runs_at == {first - timedelta(hours=24), new.due_at}

    assert sending.send_due(now=now + timedelta(hours=7)) == {}  # the old time: nothing
    assert sending.send_due(now=new.due_at + timedelta(minutes=1)) == {"sent": 1}
    [email] = mail.outbox
    assert f"at {moved_to:%H:%M}" in email.body and f"{moved_to:%A} {moved_to.day}" in email.body
    assert sending.send_due(now=new.due_at + timedelta(hours=2)) == {}


def test_the_time_is_the_clinics_own(practitioner, client_record, settings):
    settings.TIME_ZONE = "UTC"
    practitioner.clinic.time_zone = "America/New_York"
    practitioner.clinic.save()
    appointment = book(client_record, practitioner, in_hours(3))
    assert sending.send_due() == {"sent": 1}
    new_york = appointment.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert f"{new_york:%A} {new_york.day} {new_york:%B} at {new_york:%H:%M}" in mail.outbox[0].body
    assert f"at {appointment.starts_at:%H:%M}" not in mail.outbox[0].body  # not UTC's


@pytest.mark.django_db(transaction=True)
def test_the_command_sends_what_is_due_and_starts_the_sweep(practitioner, client_record, capsys):
    book(client_record, practitioner, in_hours(2))
    call_command("send_due_reminders")
    call_command("send_due_reminders")
    assert len(mail.outbox) == 1
    out = capsys.readouterr().out
    assert "Reminders due: 1 sent." in out and "Reminders due: none." in out
    sweeps = DBTaskResult.objects.filter(task_path=tasks.send_due_reminders.module_path)
    [sweep] = sweeps
    assert sweep.status == "READY" and sweep.run_after > timezone.now()

    # The sweep, run by the worker, enqueues the next one in its turn: one round only.
    DBTaskResult.objects.filter(pk=sweep.pk).update(run_after=timezone.now())
    run_worker()
    assert sweeps.filter(status="READY").count() == 1
    assert sweeps.filter(status="SUCCESSFUL").count() == 1


def test_an_archived_clients_appointment_is_not_reminded(practitioner, client_record):
    """Archived since booking (moved away, or died): no reminder reaches them."""
    appointment = book(client_record, practitioner, in_hours(3))
    client_record.archive()

    assert sending.send_due() == {"cancelled": 1}
    assert mail.outbox == []
    reminder = appointment.reminders.get()
    assert reminder.sent_at is None and reminder.cancelled_at is not None
