"""A review's attacks on the diary's API that found something: each answer is a JSON
field error, never a 500, and refuses without saving."""

from datetime import timedelta

import pytest

from scheduling import booking
from scheduling.models import Appointment, Reminder, TreatmentPlan

from .conftest import local_at

LIST = "/api/v1/appointments/"
PLANS = "/api/v1/plans/"
FAR = "Choose a start within ten years of today."


@pytest.fixture
def appointment(client_record, practitioner, tomorrow):
    ten = local_at(tomorrow, 10)
    return booking.book_appointment(
        client=client_record,
        practitioner=practitioner,
        starts_at=ten,
        ends_at=ten + timedelta(minutes=45),
        booked_by=practitioner,
    )


@pytest.mark.parametrize(
    "starts_at, ends_at",
    [("0001-01-01T00:10:00Z", "0001-01-01T00:50:00Z"), ("9999-12-31T23:00:00Z", None)],
)
def test_a_start_at_the_calendars_ends_is_a_field_error(
    api_as_practitioner, client_record, follow_up, starts_at, ends_at
):
    body = {"client": client_record.pk, "starts_at": starts_at, "appointment_type": follow_up.pk}
    if ends_at:
        body["ends_at"] = ends_at
    response = api_as_practitioner.post(LIST, body, format="json")
    assert (response.status_code, response.json()) == (400, {"starts_at": [FAR]})
    assert not Appointment.objects.exists()
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:10:00Z", "9999-12-31T23:30:00Z"])
def test_a_move_to_the_calendars_ends_is_a_field_error(api_as_practitioner, appointment, starts_at):
    response = api_as_practitioner.patch(
        f"{LIST}{appointment.pk}/", {"starts_at": starts_at}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert (response.status_code, response.json()) == (400, {"starts_at": [FAR]})
    appointment.refresh_from_db()
    assert appointment.revision == 1


def test_a_plan_starting_in_the_year_9999_is_refused(api_as_practitioner, client_record):
    response = api_as_practitioner.post(
        PLANS,
        {
            "client": client_record.pk,
            "goal": "Sleep through the night.",
            "sessions_planned": 6,
            "interval_days": 7,
            "first_starts_at": "9999-01-04T10:00:00Z",
            "minutes": 45,
        },
        format="json",
    )
    assert (response.status_code, response.json()) == (400, {"first_starts_at": [FAR]})
    assert not TreatmentPlan.objects.exists()
    assert not Appointment.objects.exists()


def test_a_retired_type_is_not_booked_but_its_appointments_still_move(
    api_as_practitioner, client_record, practitioner, follow_up, tomorrow
):
    """The pages offer only the types in use; the API refuses the others the same way."""
    kept = booking.book_appointment(
        client=client_record,
        practitioner=practitioner,
        starts_at=local_at(tomorrow, 9),
        appointment_type=follow_up,
        booked_by=practitioner,
    )
    follow_up.is_active = False
    follow_up.save()
    refused = {"appointment_type": ["Follow-up is no longer offered. Choose another."]}

    response = api_as_practitioner.post(
        LIST,
        {
            "client": client_record.pk,
            "starts_at": local_at(tomorrow, 11).isoformat(),
            "appointment_type": follow_up.pk,
        },
        format="json",
    )
    assert (response.status_code, response.json()) == (400, refused)
    assert Appointment.objects.count() == 1

    moved = api_as_practitioner.patch(
        f"{LIST}{kept.pk}/",
        {"starts_at": local_at(tomorrow, 14).isoformat()},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["appointment_type"] == follow_up.pk


def test_a_plan_for_an_archived_client_is_refused_under_client(
    api_as_practitioner, client_record, tomorrow
):
    client_record.archive()
    response = api_as_practitioner.post(
        PLANS,
        {
            "client": client_record.pk,
            "goal": "Sleep through the night.",
            "sessions_planned": 6,
            "interval_days": 7,
            "first_starts_at": local_at(tomorrow, 10).isoformat(),
            "minutes": 45,
        },
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"client": ["This client is archived. Restore them to start a treatment plan."]},
    )
    assert not TreatmentPlan.objects.exists()


def test_an_appointment_in_a_retired_room_is_edited_but_not_handed_to_one_who_left(
    api_as_practitioner, appointment, practitioner, colleague, room, tomorrow
):
    """Retiring a room does not freeze the appointments booked in it (nor a practitioner
    leaving theirs): their notes are still edited; only a new choice must be active."""
    booking.change_appointment(
        appointment=appointment, changed_by=practitioner, expected_revision=None, room=room
    )
    room.is_active = False
    room.save()
    colleague.is_active = False
    colleague.save()

    response = api_as_practitioner.patch(
        f"{LIST}{appointment.pk}/", {"notes": "Bring the referral letter."}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["room"], response.json()["notes"]) == (
        room.pk,
        "Bring the referral letter.",
    )

    refused = api_as_practitioner.patch(
        f"{LIST}{appointment.pk}/", {"practitioner": colleague.pk}, format="json"
    )
    assert (refused.status_code, refused.json()) == (
        400,
        {"practitioner": [f"{colleague} is no longer active here."]},
    )
    appointment.refresh_from_db()
    assert appointment.practitioner == practitioner
