"""The appointment pages and the calendar's endpoints: booking (and what a refusal keeps),
working hours' "Book anyway", a stale edit, the status buttons, and the calendar's JSON."""

import json
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Clinic
from scheduling import booking
from scheduling.models import Appointment, WorkingHours

from ..factories import ClientFactory
from .conftest import local_at

BOOK = reverse("scheduling:appointment-create")
EVENTS = reverse("scheduling:calendar-events")


def book(client, practitioner, starts_at, minutes=45, **more):
    return booking.book_appointment(
        client=client,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        booked_by=practitioner,
        **more,
    )


def booking_form(client, practitioner, starts_at, **more):
    return {
        "client": client.pk,
        "practitioner": practitioner.pk,
        "starts_at": f"{timezone.localtime(starts_at):%Y-%m-%dT%H:%M}",
        **more,
    }


def move(http, appointment, starts_at, ends_at, **more):
    body = {
        "start": f"{timezone.localtime(starts_at):%Y-%m-%dT%H:%M}",
        "end": f"{timezone.localtime(ends_at):%Y-%m-%dT%H:%M}",
        "revision": appointment.revision,
        **more,
    }
    url = reverse("scheduling:appointment-move", args=[appointment.pk])
    return http.post(url, json.dumps(body), content_type="application/json")


class TestBooking:
    def test_it_books_with_the_types_length(
        self, as_practitioner, practitioner, client_record, follow_up, tomorrow
    ):
        starts_at = local_at(tomorrow, 10)
        form = booking_form(client_record, practitioner, starts_at, appointment_type=follow_up.pk)
        response = as_practitioner.post(BOOK, form)
        appointment = Appointment.objects.get()
        assert response["Location"] == reverse(
            "scheduling:appointment-detail", args=[appointment.pk]
        )
        assert (appointment.starts_at, appointment.ends_at) == (
            starts_at,
            starts_at + timedelta(minutes=45),
        )
        assert (appointment.created_by, appointment.status) == (practitioner, "booked")

    def test_a_length_given_wins_over_the_types(
        self, as_practitioner, practitioner, client_record, follow_up, tomorrow
    ):
        starts_at = local_at(tomorrow, 10)
        form = booking_form(
            client_record, practitioner, starts_at, appointment_type=follow_up.pk, minutes=30
        )
        as_practitioner.post(BOOK, form)
        assert Appointment.objects.get().minutes == 30

    def test_the_query_string_prefills_the_form(
        self, as_practitioner, practitioner, colleague, client_record, tomorrow
    ):
        start = f"{tomorrow}T14:30"
        query = {"client": client_record.pk, "start": start, "practitioner": colleague.pk}
        form = as_practitioner.get(BOOK, query).context["form"]
        assert form.initial["client"] == client_record
        assert form.initial["practitioner"] == colleague
        assert f"{form.initial['starts_at']:%Y-%m-%dT%H:%M}" == start

    def test_it_defaults_to_the_requesting_practitioner(self, as_practitioner, practitioner):
        assert as_practitioner.get(BOOK).context["form"].initial["practitioner"] == practitioner

    def test_a_prefilled_client_of_another_clinic_is_not_found(self, as_practitioner):
        stranger = ClientFactory()
        assert as_practitioner.get(BOOK, {"client": stranger.pk}).status_code == 404

    def test_a_clash_is_named_beside_the_practitioner_and_nothing_is_saved(
        self, as_practitioner, practitioner, client_record, tomorrow
    ):
        taken = book(
            ClientFactory(clinic=practitioner.clinic, first_name="Ines", last_name="Roy"),
            practitioner,
            local_at(tomorrow, 10),
        )
        form = booking_form(
            client_record, practitioner, local_at(tomorrow, 10, 30), minutes=45, notes="Neck"
        )
        response = as_practitioner.post(BOOK, form)
        assert response.status_code == 200
        bound = response.context["form"]
        assert bound.errors["practitioner"] == [
            f"Ana Duarte is already booked {booking.span(taken)} with Ines Roy."
        ]
        assert (bound["notes"].value(), bound["minutes"].value()) == ("Neck", "45")  # kept
        assert f'value="{tomorrow}T10:30"' in response.content.decode()
        assert Appointment.objects.count() == 1

    def test_a_room_clash_is_named_beside_the_room(
        self, as_practitioner, practitioner, colleague, client_record, room, tomorrow
    ):
        book(client_record, colleague, local_at(tomorrow, 10), room=room)
        form = booking_form(
            client_record, practitioner, local_at(tomorrow, 10), minutes=30, room=room.pk
        )
        errors = as_practitioner.post(BOOK, form).context["form"].errors
        assert errors["room"][0].startswith("Room 1 is taken ")
        assert Appointment.objects.count() == 1

    def test_the_room_field_is_only_there_when_the_clinic_has_rooms(self, as_practitioner):
        assert "room" not in as_practitioner.get(BOOK).context["form"].fields

    def test_outside_working_hours_it_asks_then_books_when_confirmed(
        self, as_practitioner, practitioner, client_record, tomorrow
    ):
        WorkingHours.objects.create(
            practitioner=practitioner, weekday=tomorrow.weekday(), starts=time(9), ends=time(17)
        )
        form = booking_form(client_record, practitioner, local_at(tomorrow, 18), minutes=45)
        response = as_practitioner.post(BOOK, form)
        assert response.context["form"].needs_confirmation
        (reason,) = response.context["form"].errors["starts_at"]
        assert "outside Ana Duarte's working hours" in reason
        assert 'data-testid="confirm-box"' in response.content.decode()
        assert not Appointment.objects.exists()

        response = as_practitioner.post(BOOK, {**form, "confirm_outside_hours": "on"})
        assert response.status_code == 302
        assert Appointment.objects.get().starts_at == local_at(tomorrow, 18)

    def test_the_confirmation_box_is_not_shown_before_it_is_needed(self, as_practitioner):
        assert 'data-testid="confirm-box"' not in as_practitioner.get(BOOK).content.decode()

    def test_a_practitioner_of_another_clinic_cannot_be_chosen(
        self, as_practitioner, outsider, client_record, tomorrow
    ):
        form = booking_form(client_record, outsider, local_at(tomorrow, 10), minutes=45)
        assert "practitioner" in as_practitioner.post(BOOK, form).context["form"].errors
        assert not Appointment.objects.exists()


@pytest.fixture
def appointment(practitioner, client_record, tomorrow):
    return book(client_record, practitioner, local_at(tomorrow, 10))


def edit_form(appointment, starts_at, **more):
    return {
        "practitioner": appointment.practitioner_id,
        "starts_at": f"{timezone.localtime(starts_at):%Y-%m-%dT%H:%M}",
        "minutes": appointment.minutes,
        "revision": appointment.revision,
        **more,
    }


class TestEditing:
    def test_it_moves_the_appointment(self, as_practitioner, appointment, tomorrow):
        url = reverse("scheduling:appointment-edit", args=[appointment.pk])
        response = as_practitioner.post(url, edit_form(appointment, local_at(tomorrow, 15)))
        assert response.status_code == 302
        appointment.refresh_from_db()
        assert appointment.starts_at == local_at(tomorrow, 15) and appointment.minutes == 45

    def test_a_stale_edit_is_refused(self, as_practitioner, appointment, colleague, tomorrow):
        form = edit_form(appointment, local_at(tomorrow, 15))
        booking.change_appointment(  # someone else moves it meanwhile
            appointment=appointment,
            changed_by=colleague,
            expected_revision=appointment.revision,
            starts_at=local_at(tomorrow, 12),
            ends_at=local_at(tomorrow, 12, 45),
        )
        url = reverse("scheduling:appointment-edit", args=[appointment.pk])
        response = as_practitioner.post(url, form)
        (message,) = response.context["form"].non_field_errors()
        assert "after you opened it. Nothing was saved." in message
        appointment.refresh_from_db()
        assert appointment.starts_at == local_at(tomorrow, 12)

    def test_a_closed_appointment_cannot_be_edited(
        self, as_practitioner, appointment, practitioner
    ):
        booking.set_status(
            appointment=appointment, changed_by=practitioner, status="cancelled", reason="Ill"
        )
        response = as_practitioner.get(
            reverse("scheduling:appointment-edit", args=[appointment.pk])
        )
        assert response["Location"] == reverse(
            "scheduling:appointment-detail", args=[appointment.pk]
        )


class TestStatus:
    def mark(self, http, appointment, status, **more):
        url = reverse("scheduling:appointment-status", args=[appointment.pk])
        body = {"status": status, "revision": appointment.revision, **more}
        return http.post(url, body)

    def test_the_buttons_offered_follow_the_status(self, as_practitioner, appointment):
        page = as_practitioner.get(reverse("scheduling:appointment-detail", args=[appointment.pk]))
        assert [label for _, label in page.context["actions"]] == ["Arrived", "No-show"]
        assert page.context["may_cancel"]

    def test_arrived_then_back_to_booked(self, as_practitioner, appointment):
        self.mark(as_practitioner, appointment, "arrived")
        appointment.refresh_from_db()
        assert appointment.status == "arrived"
        self.mark(as_practitioner, appointment, "booked")
        appointment.refresh_from_db()
        assert appointment.status == "booked"

    def test_no_show(self, as_practitioner, appointment):
        self.mark(as_practitioner, appointment, "no_show")
        appointment.refresh_from_db()
        assert appointment.status == "no_show"

    def test_cancelling_needs_a_reason(self, as_practitioner, appointment):
        response = self.mark(as_practitioner, appointment, "cancelled", reason="  ")
        assert response.context["cancel_form"].errors["reason"] == ["This field is required."]
        appointment.refresh_from_db()
        assert appointment.status == "booked"

        self.mark(as_practitioner, appointment, "cancelled", reason="Client unwell")
        appointment.refresh_from_db()
        assert (appointment.status, appointment.cancel_reason) == ("cancelled", "Client unwell")

    def test_a_button_pressed_on_an_old_page_is_refused(
        self, as_practitioner, appointment, colleague
    ):
        shown = appointment.revision
        booking.set_status(appointment=appointment, changed_by=colleague, status="arrived")
        response = self.mark(as_practitioner, appointment, "no_show", revision=shown)
        assert response.status_code == 302
        appointment.refresh_from_db()
        assert appointment.status == "arrived"


class TestCalendarEvents:
    def range_of(self, day, days=7):
        return {"start": f"{day}T00:00:00", "end": f"{day + timedelta(days=days)}T00:00:00"}

    def test_it_answers_what_a_calendar_needs(self, as_practitioner, appointment, tomorrow):
        (event,) = as_practitioner.get(EVENTS, self.range_of(tomorrow)).json()
        assert event == {
            "id": appointment.pk,
            "resourceId": appointment.practitioner_id,
            "start": f"{tomorrow}T10:00",
            "end": f"{tomorrow}T10:45",
            "title": "Margaret Hale",
            "color": "#1f6f50",
            "editable": True,
            "extendedProps": {
                "status": "Booked",
                "type": "",
                "room": "",
                "revision": appointment.revision,
                "url": reverse("scheduling:appointment-detail", args=[appointment.pk]),
            },
        }

    def test_times_are_the_clinics_wall_clock(self, as_practitioner, practitioner, client_record):
        Clinic.objects.filter(pk=practitioner.clinic_id).update(time_zone="America/New_York")
        starts_at = timezone.make_aware(
            timezone.datetime(2026, 7, 1, 9), timezone.get_fixed_timezone(-4 * 60)
        )
        book(client_record, practitioner, starts_at)
        range_ = {"start": "2026-06-29T00:00:00Z", "end": "2026-07-06T00:00:00Z"}
        (event,) = as_practitioner.get(EVENTS, range_).json()
        assert (event["start"], event["end"]) == ("2026-07-01T09:00", "2026-07-01T09:45")

    def test_it_is_bounded_by_the_range(self, as_practitioner, appointment, tomorrow):
        later = tomorrow + timedelta(days=1)
        assert as_practitioner.get(EVENTS, self.range_of(later)).json() == []

    def test_a_range_over_six_weeks_is_refused(self, as_practitioner, tomorrow):
        response = as_practitioner.get(EVENTS, self.range_of(tomorrow, days=43))
        assert response.status_code == 400
        assert response.json() == {"detail": "Ask for six weeks at most."}

    def test_a_range_that_is_not_one_is_refused(self, as_practitioner):
        response = as_practitioner.get(EVENTS, {"start": "soon", "end": "\x00"})
        assert response.status_code == 400

    def test_cancelled_appointments_are_left_out(
        self, as_practitioner, appointment, practitioner, tomorrow
    ):
        booking.set_status(
            appointment=appointment, changed_by=practitioner, status="cancelled", reason="Ill"
        )
        assert as_practitioner.get(EVENTS, self.range_of(tomorrow)).json() == []

    def test_one_practitioners_column(self, as_practitioner, appointment, colleague, tomorrow):
        mine = as_practitioner.get(
            EVENTS, {**self.range_of(tomorrow), "practitioner": appointment.practitioner_id}
        )
        theirs = as_practitioner.get(
            EVENTS, {**self.range_of(tomorrow), "practitioner": colleague.pk}
        )
        assert [e["id"] for e in mine.json()] == [appointment.pk] and theirs.json() == []

    @pytest.mark.parametrize("count", [1, 20])
    def test_query_count_is_constant(
        self,
        as_practitioner,
        practitioner,
        room,
        follow_up,
        tomorrow,
        count,
        django_assert_num_queries,
    ):
        for n in range(count):
            client = ClientFactory(clinic=practitioner.clinic)
            book(
                client,
                practitioner,
                local_at(tomorrow, 7) + timedelta(minutes=30 * n),
                minutes=30,
                room=room,
                appointment_type=follow_up,
            )
        # the login session, its user, the user's practitioner and clinic (for the clinic's
        # zone, then cached for the view), the appointments (client, type and room joined)
        with django_assert_num_queries(5):
            response = as_practitioner.get(EVENTS, self.range_of(tomorrow))
        assert len(response.json()) == count


class TestMoving:
    def test_a_drag_moves_it(self, as_practitioner, appointment, tomorrow):
        response = move(
            as_practitioner, appointment, local_at(tomorrow, 14), local_at(tomorrow, 15)
        )
        assert response.status_code == 200
        assert response.json()["start"] == f"{tomorrow}T14:00"
        appointment.refresh_from_db()
        assert (appointment.starts_at, appointment.minutes) == (local_at(tomorrow, 14), 60)

    def test_a_drag_to_another_column_changes_the_practitioner(
        self, as_practitioner, appointment, colleague, tomorrow
    ):
        move(
            as_practitioner,
            appointment,
            local_at(tomorrow, 10),
            local_at(tomorrow, 10, 45),
            practitioner=colleague.pk,
        )
        appointment.refresh_from_db()
        assert appointment.practitioner == colleague

    def test_a_drag_onto_a_clash_is_refused_with_its_message(
        self, as_practitioner, appointment, practitioner, tomorrow
    ):
        other = book(
            ClientFactory(clinic=practitioner.clinic), practitioner, local_at(tomorrow, 14)
        )
        response = move(
            as_practitioner, appointment, local_at(tomorrow, 14), local_at(tomorrow, 15)
        )
        assert response.status_code == 400
        assert response.json() == {"detail": booking.Clash("practitioner", other).message}
        appointment.refresh_from_db()
        assert appointment.starts_at == local_at(tomorrow, 10)

    def test_a_stale_drag_is_refused(self, as_practitioner, appointment, colleague, tomorrow):
        shown = appointment.revision
        booking.set_status(appointment=appointment, changed_by=colleague, status="arrived")
        appointment.revision = shown
        response = move(
            as_practitioner, appointment, local_at(tomorrow, 14), local_at(tomorrow, 15)
        )
        assert response.status_code == 409
        assert "Nothing was moved" in response.json()["detail"]

    def test_outside_hours_it_asks_then_moves_when_confirmed(
        self, as_practitioner, appointment, practitioner, tomorrow
    ):
        WorkingHours.objects.create(
            practitioner=practitioner, weekday=tomorrow.weekday(), starts=time(9), ends=time(17)
        )
        late = (local_at(tomorrow, 18), local_at(tomorrow, 18, 45))
        response = move(as_practitioner, appointment, *late)
        assert response.status_code == 400 and response.json()["confirm"] is True
        assert "working hours" in response.json()["detail"]
        response = move(as_practitioner, appointment, *late, confirm=True)
        assert response.status_code == 200
        appointment.refresh_from_db()
        assert appointment.starts_at == late[0]

    def test_a_body_that_is_not_one_is_refused(self, as_practitioner, appointment):
        url = reverse("scheduling:appointment-move", args=[appointment.pk])
        response = as_practitioner.post(url, "{", content_type="application/json")
        assert response.status_code == 400


class TestPages:
    def test_the_calendar_lists_the_days_appointments(self, as_practitioner, appointment, tomorrow):
        response = as_practitioner.get(reverse("scheduling:calendar"), {"date": f"{tomorrow}"})
        listed = response.context["day_list"]
        assert listed.count("<li ") == 1
        assert f'href="{reverse("scheduling:appointment-detail", args=[appointment.pk])}"' in listed
        html = response.content.decode()
        assert listed in html
        assert 'id="calendar-config"' in html and "<script>" not in html

    def test_the_whole_clinic_has_a_column_each(self, as_practitioner, practitioner, colleague):
        config = as_practitioner.get(reverse("scheduling:calendar")).context["config"]
        assert config["view"] == "resourceTimeGridWeek"
        assert {r["id"] for r in config["resources"]} == {practitioner.pk, colleague.pk}

    def test_one_practitioners_day(self, as_practitioner, colleague):
        query = {"practitioner": colleague.pk, "view": "day"}
        config = as_practitioner.get(reverse("scheduling:calendar"), query).context["config"]
        assert (config["view"], config["scope"]) == ("timeGridDay", {"practitioner": colleague.pk})

    def test_the_client_page_lists_upcoming_appointments_and_books(
        self, as_practitioner, appointment, client_record
    ):
        response = as_practitioner.get(reverse("clinic:client-detail", args=[client_record.pk]))
        assert list(response.context["upcoming_appointments"]) == [appointment]
        assert f"{BOOK}?client={client_record.pk}" in response.content.decode()

    def test_the_nav_links_the_diary(self, as_practitioner):
        html = as_practitioner.get(reverse("clinic:dashboard")).content.decode()
        assert f'href="{reverse("scheduling:calendar")}">Diary</a>' in html


@pytest.mark.parametrize("count", [1, 20])
def test_the_calendar_pages_query_count_is_constant(
    as_practitioner,
    practitioner,
    colleague,
    room,
    follow_up,
    tomorrow,
    count,
    django_assert_num_queries,
):
    for n in range(count):
        client = ClientFactory(clinic=practitioner.clinic)
        starts_at = local_at(tomorrow, 7) + timedelta(minutes=30 * n)
        book(client, practitioner, starts_at, minutes=30, room=room, appointment_type=follow_up)
    # the login session, its user, the user's practitioner and clinic, the team (the
    # columns), the day's appointments (client, practitioner, type and room joined)
    with django_assert_num_queries(6):
        response = as_practitioner.get(reverse("scheduling:calendar"), {"date": f"{tomorrow}"})
    assert response.context["day_list"].count("<li ") == count
