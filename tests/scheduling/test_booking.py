"""The booking rule book: a practitioner or a room is never booked twice at once, the
clash is named, and working hours and time off ask for confirmation."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clinic.revisions import StaleEdit
from scheduling import booking
from scheduling.models import Appointment, TimeOff, WorkingHours

from ..factories import ClientFactory, PractitionerFactory
from .conftest import local_at


def book(client, practitioner, starts_at, **options):
    options.setdefault("booked_by", practitioner)
    options.setdefault("ends_at", starts_at + timedelta(minutes=45))
    return booking.book_appointment(
        client=client, practitioner=practitioner, starts_at=starts_at, **options
    )


def test_it_books_with_the_types_length(
    practitioner, colleague, client_record, tomorrow, follow_up
):
    appointment = book(
        client_record,
        practitioner,
        local_at(tomorrow, 10),
        ends_at=None,
        appointment_type=follow_up,
    )
    assert appointment.minutes == 45
    assert (appointment.clinic, appointment.status) == (practitioner.clinic, "booked")
    assert appointment.history.count() == 1


def test_it_refuses_the_practitioner_twice_and_names_the_clash(
    practitioner, client_record, tomorrow
):
    book(client_record, practitioner, local_at(tomorrow, 10))
    other = ClientFactory(clinic=practitioner.clinic, first_name="Omar", last_name="Reyes")
    with pytest.raises(ValidationError) as refused:
        book(other, practitioner, local_at(tomorrow, 10, 30))
    day = f"{local_at(tomorrow, 10):%a %d %b}"
    assert refused.value.message_dict == {
        "practitioner": [f"Ana Duarte is already booked {day} 10:00–10:45 with Margaret Hale."]
    }
    assert Appointment.objects.count() == 1


def test_it_refuses_the_room_twice(practitioner, colleague, client_record, tomorrow, room):
    book(client_record, practitioner, local_at(tomorrow, 10), room=room)
    other = ClientFactory(clinic=practitioner.clinic)
    with pytest.raises(ValidationError) as refused:
        book(other, colleague, local_at(tomorrow, 10, 15), room=room)
    assert list(refused.value.message_dict) == ["room"]
    assert "Room 1 is taken" in refused.value.message_dict["room"][0]
    assert "with Ana Duarte" in refused.value.message_dict["room"][0]


def test_back_to_back_is_not_a_clash(practitioner, client_record, tomorrow, room):
    book(client_record, practitioner, local_at(tomorrow, 10), room=room)
    book(client_record, practitioner, local_at(tomorrow, 10, 45), room=room)
    book(client_record, practitioner, local_at(tomorrow, 9, 15), room=room)
    assert Appointment.objects.count() == 3


@pytest.mark.parametrize("last_minutes", [1, 30])
def test_the_longest_appointment_clashes_to_its_last_minute(
    practitioner, client_record, tomorrow, room, last_minutes
):
    # What overlaps is searched among those started at most 8 hours before: the longest
    # still clashes with a booking near its end, for the practitioner and for the room.
    long_one = book(
        client_record,
        practitioner,
        local_at(tomorrow, 8),
        ends_at=local_at(tomorrow, 16),
        room=room,
    )
    other = ClientFactory(clinic=practitioner.clinic)
    near_the_end = local_at(tomorrow, 16) - timedelta(minutes=last_minutes)
    for who in (practitioner, PractitionerFactory(clinic=practitioner.clinic)):
        with pytest.raises(ValidationError) as refused:
            book(other, who, near_the_end, room=room)
        assert long_one.client.last_name in str(refused.value)
    assert Appointment.objects.count() == 1
    busy = Appointment.objects.overlapping(near_the_end, near_the_end + timedelta(minutes=1))
    assert list(busy) == [long_one]


def test_a_cancelled_appointment_frees_its_slot_and_a_no_show_does_not(
    practitioner, client_record, tomorrow
):
    first = book(client_record, practitioner, local_at(tomorrow, 10))
    booking.set_status(
        appointment=first, changed_by=practitioner, status="cancelled", reason="Client ill"
    )
    second = book(client_record, practitioner, local_at(tomorrow, 10))
    booking.set_status(appointment=second, changed_by=practitioner, status="no_show")
    with pytest.raises(ValidationError):
        book(client_record, practitioner, local_at(tomorrow, 10))


def test_another_clinics_client_or_practitioner_is_refused(
    practitioner, outsider, client_record, tomorrow
):
    with pytest.raises(PermissionDenied):
        book(client_record, outsider, local_at(tomorrow, 10), booked_by=outsider)
    with pytest.raises(ValidationError) as refused:
        book(client_record, outsider, local_at(tomorrow, 10), booked_by=practitioner)
    assert refused.value.message_dict == {"practitioner": ["Choose a practitioner of this clinic."]}


def test_an_archived_client_is_not_booked(practitioner, client_record, tomorrow):
    client_record.archive()
    with pytest.raises(ValidationError):
        book(client_record, practitioner, local_at(tomorrow, 10))
    assert not Appointment.objects.exists()


def test_the_end_must_follow_the_start(practitioner, client_record, tomorrow):
    with pytest.raises(ValidationError) as refused:
        book(client_record, practitioner, local_at(tomorrow, 10), ends_at=local_at(tomorrow, 10))
    assert refused.value.message_dict == {"ends_at": ["The end must be after the start."]}
    with pytest.raises(ValidationError) as refused:
        book(client_record, practitioner, local_at(tomorrow, 8), ends_at=local_at(tomorrow, 17))
    assert refused.value.message_dict == {"ends_at": ["An appointment lasts 8 hours at most."]}


def test_outside_working_hours_asks_for_confirmation(practitioner, client_record, tomorrow):
    for weekday in range(7):
        WorkingHours.objects.create(
            practitioner=practitioner, weekday=weekday, starts=time(9), ends=time(17)
        )
    with pytest.raises(booking.NeedsConfirmation) as asked:
        book(client_record, practitioner, local_at(tomorrow, 16, 30))
    weekday = f"{local_at(tomorrow, 10):%A}"
    assert asked.value.reasons == [
        f"This is outside Ana Duarte's working hours ({weekday}s 09:00–17:00)."
    ]
    assert not Appointment.objects.exists()
    book(client_record, practitioner, local_at(tomorrow, 16, 30), confirm_outside_hours=True)
    book(client_record, practitioner, local_at(tomorrow, 9))  # inside: no question


def test_time_off_asks_for_confirmation(practitioner, client_record, tomorrow):
    TimeOff.objects.create(
        practitioner=practitioner,
        starts_at=local_at(tomorrow, 0),
        ends_at=local_at(tomorrow, 23),
        reason="Training course",
    )
    with pytest.raises(booking.NeedsConfirmation) as asked:
        book(client_record, practitioner, local_at(tomorrow, 10))
    assert asked.value.reasons[0].endswith(": Training course.")


def test_moving_checks_the_new_slot_and_the_revision(practitioner, client_record, tomorrow):
    first = book(client_record, practitioner, local_at(tomorrow, 10))
    second = book(client_record, practitioner, local_at(tomorrow, 11))
    with pytest.raises(ValidationError) as refused:
        booking.change_appointment(
            appointment=second,
            changed_by=practitioner,
            expected_revision=second.revision,
            starts_at=local_at(tomorrow, 10, 30),
            ends_at=local_at(tomorrow, 11, 15),
        )
    assert list(refused.value.message_dict) == ["practitioner"]
    moved = booking.change_appointment(
        appointment=first,
        changed_by=practitioner,
        expected_revision=first.revision,
        starts_at=local_at(tomorrow, 9),
        ends_at=local_at(tomorrow, 9, 45),
    )
    assert moved.revision == first.revision + 1
    with pytest.raises(StaleEdit):
        booking.change_appointment(
            appointment=first,
            changed_by=practitioner,
            expected_revision=first.revision,
            notes="Over the move",
        )
    first.refresh_from_db()
    assert (first.starts_at, first.notes) == (local_at(tomorrow, 9), "")


def test_a_closed_appointment_is_not_moved(practitioner, client_record, tomorrow):
    appointment = book(client_record, practitioner, local_at(tomorrow, 10))
    booking.set_status(
        appointment=appointment, changed_by=practitioner, status="cancelled", reason="Away"
    )
    with pytest.raises(ValidationError, match="cancelled cannot be changed"):
        booking.change_appointment(
            appointment=appointment,
            changed_by=practitioner,
            expected_revision=None,
            starts_at=local_at(tomorrow, 12),
            ends_at=local_at(tomorrow, 12, 45),
        )


class TestStatus:
    def test_it_follows_the_day(self, practitioner, client_record, tomorrow):
        appointment = book(client_record, practitioner, local_at(tomorrow, 10))
        for status in ("arrived", "booked", "arrived", "completed"):
            appointment = booking.set_status(
                appointment=appointment, changed_by=practitioner, status=status
            )
        assert appointment.status == "completed"
        assert [h.status for h in appointment.history.order_by("history_id")] == [
            "booked",
            "arrived",
            "booked",
            "arrived",
            "completed",
        ]

    def test_a_cancellation_needs_a_reason(self, practitioner, client_record, tomorrow):
        appointment = book(client_record, practitioner, local_at(tomorrow, 10))
        with pytest.raises(ValidationError) as refused:
            booking.set_status(
                appointment=appointment, changed_by=practitioner, status="cancelled", reason=" "
            )
        assert refused.value.message_dict == {
            "cancel_reason": ["Say why the appointment is cancelled."]
        }

    def test_a_completed_one_stays_completed(self, practitioner, client_record, tomorrow):
        appointment = book(client_record, practitioner, local_at(tomorrow, 10))
        booking.set_status(appointment=appointment, changed_by=practitioner, status="arrived")
        booking.set_status(appointment=appointment, changed_by=practitioner, status="completed")
        with pytest.raises(ValidationError, match="completed cannot be marked cancelled"):
            booking.set_status(
                appointment=appointment,
                changed_by=practitioner,
                status="cancelled",
                reason="Oops",
            )

    def test_another_clinic_cannot_mark_it(self, practitioner, outsider, client_record, tomorrow):
        appointment = book(client_record, practitioner, local_at(tomorrow, 10))
        with pytest.raises(PermissionDenied):
            booking.set_status(appointment=appointment, changed_by=outsider, status="arrived")


def test_appointments_are_never_deleted(practitioner, client_record, tomorrow):
    appointment = book(client_record, practitioner, local_at(tomorrow, 10))
    with pytest.raises(Exception, match="never deleted"):
        appointment.delete()
    with pytest.raises(Exception, match="never deleted"):
        Appointment.objects.all().delete()


def test_the_clinics_zone_sets_the_wall_clock(practitioner, client_record):
    """Stored in UTC: 10:00 in London in July is 09:00 UTC."""
    with timezone.override("Europe/London"):
        starts_at = timezone.make_aware(datetime(2027, 7, 1, 10))
        appointment = book(
            client_record, PractitionerFactory(clinic=practitioner.clinic), starts_at
        )
    appointment.refresh_from_db()
    assert appointment.starts_at.astimezone(UTC).hour == 9
