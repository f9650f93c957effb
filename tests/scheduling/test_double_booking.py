"""Two bookings of one slot at once: one is made, the other is refused naming it, on both
databases; and on PostgreSQL the database itself refuses an overlap written around the
service."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests.clinic.test_settings_and_commands import run_python


def book_at_once(*, same: str) -> dict:
    """Two threads book 10:00 tomorrow at the same moment: the same practitioner, or two
    practitioners in the same room (`same` is "practitioner" or "room")."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from clinic.models import Client, Clinic, Practitioner
    from scheduling import booking
    from scheduling.models import Appointment, Room

    clinic = Clinic.objects.create(name="Race clinic")
    users = [get_user_model().objects.create(username=f"racer{n}") for n in range(2)]
    practitioners = [
        Practitioner.objects.create(user=user, clinic=clinic, display_name=f"P{n}")
        for n, user in enumerate(users)
    ]
    room = Room.objects.create(clinic=clinic, name="Room A")
    clients = [
        Client.objects.create(clinic=clinic, first_name=f"C{n}", last_name="X") for n in range(2)
    ]
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=1)
    start, outcomes, lock = threading.Barrier(2), [], threading.Lock()

    def book(n):
        try:
            start.wait()
            booking.book_appointment(
                client=clients[n],
                practitioner=practitioners[0 if same == "practitioner" else n],
                room=room if same == "room" else None,
                starts_at=starts_at + timedelta(minutes=10 * n),
                ends_at=starts_at + timedelta(minutes=45 + 10 * n),
                booked_by=practitioners[n],
            )
            outcome = "booked"
        except ValidationError as error:
            outcome = sorted(error.message_dict)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=book, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "outcomes": sorted(outcomes, key=str),
        "made": Appointment.objects.filter(clinic=clinic).count(),
    }


def check(result, same):
    assert result["made"] == 1
    assert result["outcomes"] == sorted(["booked", [same]], key=str)


@pytest.mark.parametrize("same", ["practitioner", "room"])
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL test is below")
def test_two_bookings_at_once_on_sqlite(tmp_path, same):
    # A file database, as in production: the test database lives in memory.
    script = (
        "import json, os, django\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from tests.scheduling.test_double_booking import book_at_once\n"
        f"print(json.dumps(book_at_once(same={same!r})))\n"
    )
    result = run_python(script, DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path}/diary.db")
    assert result.returncode == 0, result.stderr
    check(json.loads(result.stdout.strip().splitlines()[-1]), same)


@pytest.mark.parametrize("same", ["practitioner", "room"])
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQLite test is above")
@pytest.mark.django_db(transaction=True)
def test_two_bookings_at_once_on_postgresql(same):
    check(book_at_once(same=same), same)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an exclusion constraint")
@pytest.mark.parametrize("same", ["practitioner", "room"])
def test_postgresql_refuses_an_overlap_written_around_the_service(
    practitioner, colleague, client_record, room, same
):
    from scheduling.models import Appointment

    starts_at = timezone.now() + timedelta(days=1)
    fields = dict(clinic=practitioner.clinic, client=client_record, created_by=practitioner)
    Appointment.objects.create(
        practitioner=practitioner,
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        **fields,
    )
    with pytest.raises(IntegrityError, match=f"appointment_no_double_booking_{same}"):
        with transaction.atomic():
            Appointment.objects.create(
                practitioner=practitioner if same == "practitioner" else colleague,
                room=room if same == "room" else None,
                starts_at=starts_at + timedelta(minutes=44),
                ends_at=starts_at + timedelta(minutes=90),
                **fields,
            )
    # Back to back, or over a cancelled one, is allowed.
    Appointment.objects.create(
        practitioner=practitioner,
        room=room,
        starts_at=starts_at + timedelta(minutes=45),
        ends_at=starts_at + timedelta(minutes=90),
        **fields,
    )
    Appointment.objects.filter(starts_at=starts_at).update(status="cancelled", cancel_reason="Ill")
    Appointment.objects.create(
        practitioner=practitioner,
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        **fields,
    )
