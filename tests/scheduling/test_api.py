"""The diary's API: appointments booked, moved and marked under the same rules as the pages
(booking.py), with If-Match and Idempotency-Key as the rest of the API has them."""

import threading
import zoneinfo
from datetime import timedelta

import pytest
from django.db import connection
from rest_framework.test import APIClient

from clinic.access_log import AccessEvent
from scheduling import booking
from scheduling.models import Appointment, Room, WorkingHours

from ..factories import ClientFactory
from .conftest import local_at

LIST = "/api/v1/appointments/"


def detail(appointment, action=""):
    return f"{LIST}{appointment.pk}/{action + '/' if action else ''}"


def booked(client, practitioner, starts_at, *, minutes=45, room=None):
    return booking.book_appointment(
        client=client,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        room=room,
        booked_by=practitioner,
    )


def iso(moment):
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def ten(tomorrow):
    return local_at(tomorrow, 10)


@pytest.fixture
def appointment(client_record, practitioner, ten):
    return booked(client_record, practitioner, ten)


class TestBooking:
    def test_it_books_with_the_types_length(
        self, api_as_practitioner, practitioner, client_record, follow_up, room, ten
    ):
        response = api_as_practitioner.post(
            LIST,
            {
                "client": client_record.pk,
                "starts_at": ten.isoformat(),
                "appointment_type": follow_up.pk,
                "room": room.pk,
                "notes": "Prefers the window side.",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        made = Appointment.objects.get()
        assert (made.client, made.practitioner, made.room, made.created_by) == (
            client_record,
            practitioner,
            room,
            practitioner,
        )
        assert made.ends_at == ten + timedelta(minutes=45)
        body = response.json()
        assert body["ends_at"] == iso(ten + timedelta(minutes=45))
        assert (body["status"], body["minutes"], body["client_name"]) == (
            "booked",
            45,
            "Margaret Hale",
        )
        assert "confirm_outside_hours" not in body

    def test_it_answers_in_the_clinics_zone(self, api, practitioner, appointment):
        practitioner.clinic.time_zone = "Pacific/Auckland"
        practitioner.clinic.save()
        api.force_login(practitioner.user)  # the session: the middleware sets the zone
        body = api.get(detail(appointment)).json()
        auckland = zoneinfo.ZoneInfo("Pacific/Auckland")
        assert body["starts_at"] == appointment.starts_at.astimezone(auckland).isoformat()
        assert body["starts_at"].endswith("+13:00")  # December: New Zealand's summer time

    def test_a_practitioners_double_booking_is_refused_naming_the_clash(
        self, api_as_practitioner, client_record, appointment, ten
    ):
        other = ClientFactory(clinic=client_record.clinic, first_name="Tom", last_name="Bell")
        response = api_as_practitioner.post(
            LIST,
            {
                "client": other.pk,
                "starts_at": iso(ten + timedelta(minutes=30)),
                "ends_at": iso(ten + timedelta(minutes=75)),
            },
            format="json",
        )
        assert response.status_code == 400
        (message,) = response.json()["practitioner"]
        assert "Ana Duarte is already booked" in message and "Margaret Hale" in message
        assert Appointment.objects.count() == 1

    def test_a_rooms_double_booking_is_refused_naming_the_clash(
        self, api_as_practitioner, practitioner, colleague, client_record, room, ten
    ):
        other = ClientFactory(clinic=client_record.clinic, first_name="Tom", last_name="Bell")
        booked(other, colleague, ten, room=room)
        response = api_as_practitioner.post(
            LIST,
            {
                "client": client_record.pk,
                "starts_at": iso(ten),
                "ends_at": iso(ten + timedelta(hours=1)),
                "room": room.pk,
            },
            format="json",
        )
        assert response.status_code == 400
        assert set(response.json()) == {"room"}
        (message,) = response.json()["room"]
        assert message.startswith("Room 1 is taken") and f"with {colleague}" in message
        assert Appointment.objects.filter(practitioner=practitioner).count() == 0

    def test_an_appointment_ending_as_another_starts_is_not_a_clash(
        self, api_as_practitioner, client_record, appointment, ten
    ):
        response = api_as_practitioner.post(
            LIST,
            {
                "client": client_record.pk,
                "starts_at": iso(ten + timedelta(minutes=45)),
                "ends_at": iso(ten + timedelta(minutes=90)),
            },
            format="json",
        )
        assert response.status_code == 201, response.json()

    def test_outside_working_hours_asks_to_be_sent_again_confirmed(
        self, api_as_practitioner, practitioner, client_record, tomorrow
    ):
        WorkingHours.objects.create(
            practitioner=practitioner,
            weekday=tomorrow.weekday(),
            starts=local_at(tomorrow, 9).time(),
            ends=local_at(tomorrow, 17).time(),
        )
        body = {
            "client": client_record.pk,
            "starts_at": iso(local_at(tomorrow, 18)),
            "ends_at": iso(local_at(tomorrow, 19)),
        }
        refused = api_as_practitioner.post(LIST, body, format="json")
        assert refused.status_code == 400
        messages = refused.json()["confirm_outside_hours"]
        assert "outside Ana Duarte's working hours" in messages[0]
        assert '"confirm_outside_hours": true' in messages[-1]
        assert not Appointment.objects.exists()
        confirmed = api_as_practitioner.post(
            LIST, {**body, "confirm_outside_hours": True}, format="json"
        )
        assert confirmed.status_code == 201, confirmed.json()
        assert Appointment.objects.count() == 1

    def test_an_idempotent_booking_is_made_once_and_replayed(
        self, api_as_practitioner, client_record, ten
    ):
        body = {
            "client": client_record.pk,
            "starts_at": iso(ten),
            "ends_at": iso(ten + timedelta(hours=1)),
        }
        key = {"HTTP_IDEMPOTENCY_KEY": "book-margaret-1"}
        first = api_as_practitioner.post(LIST, body, format="json", **key)
        again = api_as_practitioner.post(LIST, body, format="json", **key)
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json() == first.json()
        assert again["Idempotent-Replayed"] == "true"
        assert Appointment.objects.count() == 1

    def test_another_clinics_ids_are_not_found(
        self, api_as_practitioner, practitioner, outsider, client_record, ten
    ):
        theirs = ClientFactory(clinic=outsider.clinic)
        their_room = Room.objects.create(clinic=outsider.clinic, name="Their room")
        response = api_as_practitioner.post(
            LIST,
            {
                "client": theirs.pk,
                "practitioner": outsider.pk,
                "room": their_room.pk,
                "starts_at": iso(ten),
                "ends_at": iso(ten + timedelta(hours=1)),
            },
            format="json",
        )
        assert response.status_code == 400
        not_found = ["Not found in this clinic."]
        assert response.json() == {
            "client": not_found,
            "practitioner": not_found,
            "room": not_found,
        }
        missing = api_as_practitioner.post(
            LIST,
            {"client": 999999, "starts_at": iso(ten), "ends_at": iso(ten + timedelta(hours=1))},
            format="json",
        )
        assert missing.json() == {"client": not_found}  # the same as another clinic's
        assert not Appointment.objects.exists()

    def test_it_is_never_deleted(self, api_as_practitioner, appointment):
        response = api_as_practitioner.delete(detail(appointment))
        assert response.status_code == 405
        assert Appointment.objects.filter(pk=appointment.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database is in memory on SQLite, one connection for every thread; "
    "tests/scheduling's booking tests cover SQLite's locking transaction",
)
def test_two_bookings_of_one_slot_at_once_make_one(practitioner, client_record, tomorrow):
    starts_at = local_at(tomorrow, 10)
    body = {
        "client": client_record.pk,
        "starts_at": iso(starts_at),
        "ends_at": iso(starts_at + timedelta(hours=1)),
    }
    start, answers = threading.Barrier(2), []

    def book():
        api = APIClient()
        api.force_authenticate(practitioner.user)
        try:
            start.wait()
            answers.append(api.post(LIST, body, format="json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [201, 400]
    (refused,) = [answer for answer in answers if answer.status_code == 400]
    assert "Ana Duarte is already booked" in refused.json()["practitioner"][0]
    assert Appointment.objects.count() == 1


class TestChanging:
    def test_a_move_keeps_the_length_and_raises_the_etag(
        self, api_as_practitioner, appointment, ten
    ):
        etag = api_as_practitioner.get(detail(appointment))["ETag"]
        assert etag == '"1"'
        moved = api_as_practitioner.patch(
            detail(appointment),
            {"starts_at": iso(ten + timedelta(hours=2))},
            format="json",
            HTTP_IF_MATCH=etag,
        )
        assert moved.status_code == 200, moved.json()
        assert moved["ETag"] == '"2"'
        appointment.refresh_from_db()
        assert appointment.starts_at == ten + timedelta(hours=2)
        assert appointment.ends_at == ten + timedelta(hours=2, minutes=45)

    def test_an_edit_over_a_newer_revision_is_refused_with_412(
        self, api_as_practitioner, practitioner, appointment
    ):
        etag = api_as_practitioner.get(detail(appointment))["ETag"]
        booking.change_appointment(
            appointment=appointment,
            changed_by=practitioner,
            expected_revision=None,
            notes="Changed on the calendar meanwhile.",
        )
        stale = api_as_practitioner.patch(
            detail(appointment), {"notes": "Mine"}, format="json", HTTP_IF_MATCH=etag
        )
        assert stale.status_code == 412
        assert stale.json()["current_revision"] == 2
        appointment.refresh_from_db()
        assert appointment.notes == "Changed on the calendar meanwhile."

    def test_a_move_onto_another_appointment_is_refused(
        self, api_as_practitioner, client_record, practitioner, appointment, ten
    ):
        other = booked(client_record, practitioner, ten + timedelta(hours=2))
        response = api_as_practitioner.patch(
            detail(other), {"starts_at": iso(ten + timedelta(minutes=15))}, format="json"
        )
        assert response.status_code == 400
        assert "Ana Duarte is already booked" in response.json()["practitioner"][0]
        other.refresh_from_db()
        assert other.starts_at == ten + timedelta(hours=2)

    def test_it_moves_to_a_colleague_but_not_to_another_clinics_room(
        self, api_as_practitioner, colleague, outsider, appointment
    ):
        their_room = Room.objects.create(clinic=outsider.clinic, name="Their room")
        refused = api_as_practitioner.patch(
            detail(appointment), {"room": their_room.pk}, format="json"
        )
        assert refused.json() == {"room": ["Not found in this clinic."]}
        handed = api_as_practitioner.patch(
            detail(appointment), {"practitioner": colleague.pk}, format="json"
        )
        assert handed.status_code == 200, handed.json()
        appointment.refresh_from_db()
        assert (appointment.practitioner, appointment.room) == (colleague, None)

    def test_its_client_cannot_change(self, api_as_practitioner, client_record, appointment):
        other = ClientFactory(clinic=client_record.clinic)
        response = api_as_practitioner.patch(
            detail(appointment), {"client": other.pk}, format="json"
        )
        assert response.status_code == 400
        assert response.json() == {"client": ["An appointment's client cannot change."]}

    def test_its_detail_read_is_logged(self, api_as_practitioner, practitioner, appointment):
        api_as_practitioner.get(detail(appointment))
        event = AccessEvent.objects.get(record_type=AccessEvent.RecordType.APPOINTMENT)
        assert (event.user, event.client, event.record_id) == (
            practitioner.user,
            appointment.client,
            appointment.pk,
        )


class TestStatus:
    def test_it_marks_arrived(self, api_as_practitioner, appointment):
        response = api_as_practitioner.post(
            detail(appointment, "status"), {"status": "arrived"}, format="json"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "arrived"
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.ARRIVED

    def test_cancelling_needs_a_reason_and_frees_the_slot(
        self, api_as_practitioner, client_record, appointment, ten
    ):
        url = detail(appointment, "status")
        refused = api_as_practitioner.post(url, {"status": "cancelled"}, format="json")
        assert refused.status_code == 400
        assert refused.json() == {"reason": ["Say why the appointment is cancelled."]}
        cancelled = api_as_practitioner.post(
            url, {"status": "cancelled", "reason": "Flu"}, format="json"
        )
        assert cancelled.json()["cancel_reason"] == "Flu"
        again = api_as_practitioner.post(
            LIST,
            {
                "client": client_record.pk,
                "starts_at": iso(ten),
                "ends_at": iso(ten + timedelta(hours=1)),
            },
            format="json",
        )
        assert again.status_code == 201, again.json()

    def test_a_step_the_rule_book_refuses_is_a_field_error(
        self, api_as_practitioner, practitioner, appointment
    ):
        booking.set_status(
            appointment=appointment, changed_by=practitioner, status="cancelled", reason="Flu"
        )
        response = api_as_practitioner.post(
            detail(appointment, "status"), {"status": "arrived"}, format="json"
        )
        assert response.status_code == 400
        assert response.json() == {
            "status": ["An appointment that is cancelled cannot be marked arrived."]
        }

    def test_a_stale_status_change_is_refused_with_412(
        self, api_as_practitioner, practitioner, appointment
    ):
        booking.change_appointment(
            appointment=appointment, changed_by=practitioner, expected_revision=None, notes="x"
        )
        response = api_as_practitioner.post(
            detail(appointment, "status"),
            {"status": "no_show"},
            format="json",
            HTTP_IF_MATCH='"1"',
        )
        assert response.status_code == 412
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.BOOKED


class TestList:
    def ids(self, api, **query):
        response = api.get(LIST, query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    def test_it_filters_by_practitioner_client_status_and_range(
        self, api_as_practitioner, practitioner, colleague, client_record, appointment, ten
    ):
        other = ClientFactory(clinic=client_record.clinic)
        theirs = booked(other, colleague, ten)
        later = booked(client_record, practitioner, ten + timedelta(days=2))
        booking.set_status(
            appointment=later, changed_by=practitioner, status="cancelled", reason="Away"
        )
        api = api_as_practitioner
        assert self.ids(api) == [appointment.pk, theirs.pk, later.pk]
        assert self.ids(api, practitioner=colleague.pk) == [theirs.pk]
        assert self.ids(api, client=client_record.pk) == [appointment.pk, later.pk]
        assert self.ids(api, status="cancelled") == [later.pk]
        assert self.ids(api, status=["booked", "cancelled"]) == [
            appointment.pk,
            theirs.pk,
            later.pk,
        ]
        day = {
            "starts_after": iso(ten - timedelta(hours=10)),
            "starts_before": iso(ten + timedelta(hours=14)),
        }
        assert self.ids(api, **day) == [appointment.pk, theirs.pk]

    def test_a_range_is_a_year_at_most(self, api_as_practitioner, ten):
        response = api_as_practitioner.get(
            LIST, {"starts_after": iso(ten), "starts_before": iso(ten + timedelta(days=400))}
        )
        assert response.status_code == 400
        assert response.json() == {"starts_before": ["Ask for a year at most at a time."]}

    @pytest.mark.parametrize(
        ("moment", "said"),
        [
            # PostgreSQL refused the offset with a 500 (schemathesis found it).
            ("0674-06-13T17:58:54-18:49", "Give an offset from UTC between -14:00 and +14:00."),
            ("2030-01-01T10:00:00+15:00", "Give an offset from UTC between -14:00 and +14:00."),
            ("0001-01-01T00:00:00+05:00", "Give a moment between the years 1 and 9999 in UTC."),
            ("9999-12-31T23:00:00-05:00", "Give a moment between the years 1 and 9999 in UTC."),
        ],
    )
    def test_a_moment_off_the_calendar_or_the_worlds_offsets_is_a_field_error(
        self, api_as_practitioner, moment, said
    ):
        for name in ("starts_after", "starts_before"):
            response = api_as_practitioner.get(LIST, {name: moment})
            assert response.status_code == 400
            assert response.json() == {name: [said]}

    def test_another_clinics_appointments_are_not_listed_or_found(self, api, outsider, appointment):
        api.force_authenticate(outsider.user)
        assert self.ids(api) == []
        assert api.get(detail(appointment)).status_code == 404
        refused = api.get(LIST, {"client": appointment.client_id})
        assert refused.status_code == 400 and set(refused.json()) == {"client"}

    @pytest.mark.parametrize("rows", [1, 20])
    def test_list_query_count_is_constant(
        self, api_as_practitioner, practitioner, client_record, ten, django_assert_num_queries, rows
    ):
        for n in range(rows):
            booked(client_record, practitioner, ten + timedelta(hours=n))
        # the page of appointments with their clients and practitioners (no count: cursor
        # pages). force_authenticate hands over a user whose practitioner profile is loaded.
        with django_assert_num_queries(1):
            response = api_as_practitioner.get(LIST)
        assert len(response.json()["results"]) == rows
        assert "count" not in response.json()

    def test_pages_follow_next_earliest_first_without_a_total(
        self, api_as_practitioner, practitioner, colleague, client_record, ten
    ):
        made = [booked(client_record, practitioner, ten + timedelta(hours=n)) for n in range(30)]
        same_start = booked(ClientFactory(clinic=client_record.clinic), colleague, ten)
        first = api_as_practitioner.get(LIST).json()
        assert "count" not in first and first["previous"] is None
        second = api_as_practitioner.get(first["next"]).json()
        assert second["next"] is None
        listed = [row["id"] for row in first["results"] + second["results"]]
        # earliest first; two at the same start in id order
        assert listed == [made[0].pk, same_start.pk, *(a.pk for a in made[1:])]
        back = api_as_practitioner.get(second["previous"]).json()
        assert [row["id"] for row in back["results"]] == listed[:25]
