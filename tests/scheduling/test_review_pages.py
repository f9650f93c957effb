"""A hostile tester at the diary's pages: what a mistyped or forged query, body or form
sends is refused with a message (or ignored, for a prefill), saves nothing, and is never a
500. Daylight saving is the clinic's: Europe/London's clocks go forward at 01:00 on
28 March 2027, so 01:30 that night does not exist."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from scheduling import booking
from scheduling.models import Appointment, TimeOff

from ..html_parts import parse
from .conftest import local_at

BOOK = reverse("scheduling:appointment-create")
CALENDAR = reverse("scheduling:calendar")
EVENTS = reverse("scheduling:calendar-events")
OUT_OF_RANGE = "Give a date between the years 1900 and 2999."


@pytest.fixture
def in_london(practitioner):
    practitioner.clinic.time_zone = "Europe/London"
    practitioner.clinic.save()


@pytest.fixture
def appointment(practitioner, client_record, tomorrow, follow_up):
    return booking.book_appointment(
        client=client_record,
        practitioner=practitioner,
        booked_by=practitioner,
        starts_at=local_at(tomorrow, 10),
        appointment_type=follow_up,
    )


def plan_form(practitioner, kind, first_starts_at, sessions=6):
    return {
        "goal": "Sleep through the night",
        "sessions_planned": sessions,
        "interval_days": 7,
        "first_starts_at": first_starts_at,
        "practitioner": practitioner.pk,
        "appointment_type": kind.pk,
    }


def move(http, appointment, start, end, **more):
    body = {"start": start, "end": end, "revision": appointment.revision, **more}
    url = reverse("scheduling:appointment-move", args=[appointment.pk])
    return http.post(url, json.dumps(body), content_type="application/json")


class TestIdsThatAreNotIds:
    """ "²" is a digit to str.isdigit() but not to int(); a key of 20 digits fits no column."""

    @pytest.mark.parametrize("query", ["client=²", "practitioner=²", "client=1" + "0" * 20])
    def test_the_booking_forms_prefill_ignores_them(self, as_practitioner, practitioner, query):
        response = as_practitioner.get(f"{BOOK}?{query}")
        assert response.status_code == 200
        assert response.context["form"].initial == {"practitioner": practitioner}

    def test_the_calendar_shows_the_whole_clinic(self, as_practitioner):
        response = as_practitioner.get(f"{CALENDAR}?practitioner=²")
        assert response.status_code == 200
        assert response.context["shown"] is None

    @pytest.mark.parametrize("shown", ["²", "9" * 20])
    def test_the_events_are_the_whole_clinics(self, as_practitioner, appointment, tomorrow, shown):
        query = f"start={tomorrow}&end={tomorrow + timedelta(days=1)}&practitioner={shown}"
        response = as_practitioner.get(f"{EVENTS}?{query}")
        assert response.status_code == 200
        assert [event["id"] for event in response.json()] == [appointment.pk]

    def test_a_drag_keeps_the_practitioner(
        self, as_practitioner, appointment, tomorrow, practitioner
    ):
        day_after = tomorrow + timedelta(days=1)
        response = move(
            as_practitioner,
            appointment,
            f"{day_after}T10:00",
            f"{day_after}T10:45",
            practitioner="²",
        )
        assert response.status_code == 200
        appointment.refresh_from_db()
        assert appointment.practitioner == practitioner
        assert appointment.starts_at == local_at(day_after, 10)


class TestYearsOffTheCalendar:
    """Year 1 less a reminder's 24 hours, or 23:59 on 31 December 9999 plus a length, runs
    off Python's calendar; the clinic's zone can push year 1 or 9999 over it on its own."""

    @pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59"])
    def test_the_booking_form_refuses_them(
        self, as_practitioner, practitioner, client_record, follow_up, typed
    ):
        form = {
            "client": client_record.pk,
            "practitioner": practitioner.pk,
            "appointment_type": follow_up.pk,
            "starts_at": typed,
        }
        response = as_practitioner.post(BOOK, form)
        assert response.status_code == 200
        assert response.context["form"].errors["starts_at"] == [OUT_OF_RANGE]
        assert f'value="{typed}"' in response.content.decode()
        assert not Appointment.objects.exists()

    def test_the_time_off_form_refuses_them(self, as_practitioner, practitioner):
        practitioner.clinic.time_zone = "Pacific/Auckland"
        practitioner.clinic.save()
        form = {"starts_at": "0001-01-01T00:00", "ends_at": "2027-01-01T00:00", "reason": "x"}
        response = as_practitioner.post(reverse("scheduling:time-off-add"), form)
        assert response.status_code == 200
        assert response.context["time_off_form"].errors["starts_at"] == [OUT_OF_RANGE]
        assert not TimeOff.objects.exists()

    def test_the_plan_form_refuses_them(
        self, as_practitioner, practitioner, client_record, follow_up
    ):
        form = plan_form(practitioner, follow_up, "9999-12-01T10:00", sessions=6)
        url = reverse("scheduling:plan-create", args=[client_record.pk])
        response = as_practitioner.post(url, form)
        assert response.status_code == 200
        assert response.context["form"].errors["first_starts_at"] == [OUT_OF_RANGE]
        assert not Appointment.objects.exists()

    def test_a_drag_there_is_refused(self, as_practitioner, appointment):
        response = move(as_practitioner, appointment, "0001-01-01T00:00", "0001-01-01T01:00")
        assert response.status_code == 400
        assert response.json() == {"detail": "Send the start and the end as ISO times."}
        assert Appointment.objects.get().revision == appointment.revision

    @pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
    def test_the_calendar_shows_today_instead(self, as_practitioner, day):
        response = as_practitioner.get(f"{CALENDAR}?date={day}")
        assert response.status_code == 200
        assert response.context["day"] == timezone.localdate()

    def test_the_events_range_is_refused(self, as_practitioner):
        response = as_practitioner.get(f"{EVENTS}?start=0001-01-01&end=0001-01-08")
        assert response.status_code == 400


LONDON = ZoneInfo("Europe/London")


@pytest.mark.usefixtures("in_london")
class TestTheHourTheClocksSkip:
    def test_the_booking_form_refuses_it_beside_the_start(
        self, as_practitioner, practitioner, client_record, follow_up
    ):
        form = {
            "client": client_record.pk,
            "practitioner": practitioner.pk,
            "appointment_type": follow_up.pk,
            "starts_at": "2027-03-28T01:30",
        }
        response = as_practitioner.post(BOOK, form)
        assert response.status_code == 200
        assert "may not exist" in response.context["form"].errors["starts_at"][0]
        assert not Appointment.objects.exists()

    def test_a_drag_into_it_is_refused_and_changes_nothing(self, as_practitioner, appointment):
        # 01:30 (read as GMT) and 02:30 BST are one instant: the database's check refused
        # the zero-length appointment with a 500.
        response = move(as_practitioner, appointment, "2027-03-28T01:30", "2027-03-28T02:30")
        assert response.status_code == 400
        assert "2027-03-28 01:30:00" in response.json()["detail"]
        assert "may not exist" in response.json()["detail"]
        assert Appointment.objects.get().starts_at == appointment.starts_at

    def test_a_weekly_plan_through_it_books_that_session_an_hour_on(
        self, as_practitioner, practitioner, client_record, follow_up
    ):
        # Its second session falls at 01:30 on the night the clocks go forward: it is read
        # with the offset before the change (RFC 5545), so it is 02:30, 45 minutes long.
        form = plan_form(practitioner, follow_up, "2027-03-21T01:30", sessions=3)
        response = as_practitioner.post(
            reverse("scheduling:plan-create", args=[client_record.pk]), form
        )
        assert response.status_code == 302
        walls = [
            (a.starts_at.astimezone(LONDON).replace(tzinfo=None), a.ends_at - a.starts_at)
            for a in Appointment.objects.order_by("starts_at")
        ]
        forty_five = timedelta(minutes=45)
        assert walls == [
            (datetime(2027, 3, 21, 1, 30), forty_five),
            (datetime(2027, 3, 28, 2, 30), forty_five),
            (datetime(2027, 4, 4, 1, 30), forty_five),
        ]


class TestAnEditWithoutItsRevision:
    @pytest.mark.parametrize("revision", ["", "\x00", "0"])
    def test_it_is_refused_at_the_top_and_keeps_what_was_typed(
        self, as_practitioner, practitioner, appointment, tomorrow, revision
    ):
        form = {
            "practitioner": practitioner.pk,
            "starts_at": f"{tomorrow}T11:00",
            "notes": "Moved at her request",
            "revision": revision,
        }
        url = reverse("scheduling:appointment-edit", args=[appointment.pk])
        response = as_practitioner.post(url, form)
        assert response.status_code == 200
        page = response.content.decode()
        # The field is hidden: "This field is required." beside nothing was all it said.
        assert "The page sent a revision that is not one: reload it and try again." in page
        assert "Moved at her request" in page
        assert Appointment.objects.get().starts_at == appointment.starts_at


def test_todays_buttons_say_whose_appointment_they_mark(
    as_practitioner, practitioner, client_record, follow_up
):
    """A screen reader's list of buttons read "Arrived, No-show, Start session" once for
    each client, with nothing to tell them apart; each now names its client after the
    words it shows (so a voice command of the visible words still finds it)."""
    late_today = local_at(timezone.localdate(), 23)
    booking.book_appointment(
        client=client_record,
        practitioner=practitioner,
        booked_by=practitioner,
        starts_at=late_today,
        appointment_type=follow_up,
    )
    row = parse(as_practitioner.get(reverse("clinic:dashboard")).content.decode()).one(
        testid="today-appointment"
    )
    named = {b.text: b.attrs["aria-label"] for b in [*row.all("button"), *row.all("a", cls="btn")]}
    assert named == {
        "Arrived": "Arrived: Margaret Hale",
        "No-show": "No-show: Margaret Hale",
        "Start session": "Start session: Margaret Hale",
    }
