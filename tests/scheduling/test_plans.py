"""Treatment plans: a course booked as a series in one step from the client's page, whole
or not at all, at the same wall-clock time across a daylight-saving change, with its
progress on the client's page."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scheduling import booking
from scheduling.models import Appointment, TreatmentPlan, WorkingHours

from ..html_parts import parse
from .conftest import local_at


@pytest.fixture
def create_url(client_record):
    return reverse("scheduling:plan-create", args=[client_record.pk])


def next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def plan_form(practitioner, appointment_type, **overrides):
    return {
        "goal": "Sleep through the night",
        "sessions_planned": "6",
        "interval_days": "7",
        "review_at": "3, 6",
        "first_starts_at": f"{next_monday():%Y-%m-%d}T10:00",
        "practitioner": practitioner.pk,
        "appointment_type": appointment_type.pk,
        "room": "",
        **overrides,
    }


def test_a_series_is_booked_in_one_step(
    as_practitioner, practitioner, client_record, follow_up, room, create_url
):
    page = parse(
        as_practitioner.get(
            reverse("clinic:client-detail", args=[client_record.pk])
        ).content.decode()
    )
    start = next(
        a for a in page.one(testid="client-plans").all("a") if a.text == "Start a treatment plan"
    )
    assert start.attrs["href"] == create_url

    response = as_practitioner.post(create_url, plan_form(practitioner, follow_up, room=room.pk))

    plan = TreatmentPlan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("scheduling:plan-detail", args=[plan.pk])
    assert (plan.client, plan.practitioner, plan.created_by) == (
        client_record,
        practitioner,
        practitioner,
    )
    assert (plan.goal, plan.sessions_planned, plan.interval_days, plan.review_at) == (
        "Sleep through the night",
        6,
        7,
        [3, 6],
    )
    monday = local_at(next_monday(), 10)
    booked = list(plan.appointments.order_by("plan_number"))
    assert [a.plan_number for a in booked] == [1, 2, 3, 4, 5, 6]
    assert [timezone.localtime(a.starts_at).date() for a in booked] == [
        (monday + timedelta(weeks=n)).date() for n in range(6)
    ]
    assert {(timezone.localtime(a.starts_at).time(), a.minutes) for a in booked} == {(time(10), 45)}
    assert {(a.room, a.appointment_type, a.status) for a in booked} == {(room, follow_up, "booked")}

    page = parse(as_practitioner.get(response.url).content.decode())
    rows = page.all("tr", testid="plan-appointment")
    assert len(rows) == 6
    assert [bool(row.all(testid="plan-review")) for row in rows] == [
        False, False, True, False, False, True
    ]  # fmt: skip
    assert page.one(testid="plan-progress").text == "0 of 6 done, next review at session 3"


def test_a_clash_names_the_occurrence_and_books_nothing(
    as_practitioner, practitioner, colleague, client_record, follow_up, create_url
):
    third = local_at(next_monday() + timedelta(weeks=2), 10, 30)
    other = booking.book_appointment(
        client=client_record,
        practitioner=practitioner,
        starts_at=third,
        ends_at=third + timedelta(minutes=30),
        booked_by=colleague,
    )

    response = as_practitioner.post(create_url, plan_form(practitioner, follow_up))

    assert response.status_code == 200
    assert not TreatmentPlan.objects.exists()
    assert list(Appointment.objects.all()) == [other]
    field = parse(response.content.decode()).one(id="div_id_first_starts_at")
    when = booking.local(local_at(third.date(), 10))
    assert f"Session 3, {when}: Ana Duarte is already booked" in field.text
    assert "Session 1" not in field.text
    form = parse(response.content.decode()).one("form", testid="plan-form")
    assert form.one("textarea", name="goal").text == "Sleep through the night"


def test_outside_working_hours_it_asks_first(
    as_practitioner, practitioner, client_record, follow_up, create_url
):
    for weekday in range(5):
        WorkingHours.objects.create(
            practitioner=practitioner, weekday=weekday, starts=time(9), ends=time(17)
        )
    early = plan_form(practitioner, follow_up, sessions_planned="2", review_at="2")
    early["first_starts_at"] = early["first_starts_at"].replace("10:00", "08:00")

    response = as_practitioner.post(create_url, early)

    assert response.status_code == 200
    assert not Appointment.objects.exists() and not TreatmentPlan.objects.exists()
    page = parse(response.content.decode())
    assert (
        "Session 2: This is outside Ana Duarte's working hours"
        in page.one(testid="outside-hours").text
    )
    assert page.one("input", name="confirm_outside_hours").attrs["type"] == "checkbox"

    response = as_practitioner.post(create_url, {**early, "confirm_outside_hours": "on"})

    assert response.status_code == 302
    assert TreatmentPlan.objects.get().appointments.count() == 2


def test_bad_input_is_shown_by_its_field(as_practitioner, practitioner, follow_up, create_url):
    bad = plan_form(practitioner, follow_up, sessions_planned="0", review_at="four", goal="")
    response = as_practitioner.post(create_url, bad)
    assert response.status_code == 200
    page = parse(response.content.decode())
    assert "This field is required." in page.one(id="div_id_goal").text
    assert "greater than or equal to 1" in page.one(id="div_id_sessions_planned").text
    assert "session numbers" in page.one(id="div_id_review_at").text
    response = as_practitioner.post(create_url, plan_form(practitioner, follow_up, review_at="9"))
    page = parse(response.content.decode())
    assert "Review points are session numbers from 1 to 6." in page.one(id="div_id_review_at").text
    assert not TreatmentPlan.objects.exists() and not Appointment.objects.exists()


def test_a_weekly_plan_keeps_its_local_time_across_the_clocks_going_forward(
    as_practitioner, practitioner, client_record, follow_up, create_url
):
    """London's clocks go forward on Sunday 28 March 2027: 10:00 is 10:00 UTC the Monday
    before and 09:00 UTC after."""
    practitioner.clinic.time_zone = "Europe/London"
    practitioner.clinic.save()
    form = plan_form(practitioner, follow_up, sessions_planned="3", review_at="")
    response = as_practitioner.post(create_url, {**form, "first_starts_at": "2027-03-22T10:00"})
    assert response.status_code == 302

    booked = TreatmentPlan.objects.get().appointments.order_by("plan_number")
    assert [a.starts_at for a in booked] == [
        datetime(2027, 3, 22, 10, tzinfo=UTC),
        datetime(2027, 3, 29, 9, tzinfo=UTC),
        datetime(2027, 4, 5, 9, tzinfo=UTC),
    ]
    page = parse(as_practitioner.get(response.url).content.decode())
    assert [td.text for td in page.all("td", testid="plan-when")] == [
        "Mon 22 Mar 2027, 10:00",
        "Mon 29 Mar 2027, 10:00",
        "Mon 5 Apr 2027, 10:00",
    ]


def test_the_client_page_shows_each_plans_progress(
    as_practitioner, practitioner, client_record, follow_up, create_url
):
    as_practitioner.post(create_url, plan_form(practitioner, follow_up, review_at="4, 6"))
    plan = TreatmentPlan.objects.get()
    first, second, third = plan.appointments.order_by("plan_number")[:3]
    for done in (first, second, third):
        booking.set_status(appointment=done, changed_by=practitioner, status="arrived")
        booking.set_status(appointment=done, changed_by=practitioner, status="completed")

    page = parse(
        as_practitioner.get(
            reverse("clinic:client-detail", args=[client_record.pk])
        ).content.decode()
    )

    card = page.one(testid="client-plan")
    assert card.one(testid="plan-progress").text == "3 of 6 done, next review at session 4"
    assert card.one("a").attrs["href"] == reverse("scheduling:plan-detail", args=[plan.pk])
    assert card.one("progress").attrs["value"] == "3"


def client_page_queries(http, practitioner, client_record, follow_up, plans, assert_queries):
    for n in range(plans):
        first = date(2030, 1, 7) + timedelta(days=n)
        http.post(
            reverse("scheduling:plan-create", args=[client_record.pk]),
            plan_form(practitioner, follow_up, first_starts_at=f"{first:%Y-%m-%d}T10:00"),
        )
    assert TreatmentPlan.objects.count() == plans
    # The plans panel costs two queries however many plans: the plans, their appointments.
    with assert_queries(CLIENT_PAGE_QUERIES):
        response = http.get(reverse("clinic:client-detail", args=[client_record.pk]))
    assert len(parse(response.content.decode()).all(testid="client-plan")) == plans


CLIENT_PAGE_QUERIES = 15  # with the upcoming appointments panel (one query)


@pytest.mark.parametrize("plans", [1, 4])
def test_the_plans_cost_the_client_page_the_same_queries_for_one_or_many(
    as_practitioner, practitioner, client_record, follow_up, plans, django_assert_num_queries
):
    client_page_queries(
        as_practitioner, practitioner, client_record, follow_up, plans, django_assert_num_queries
    )


def test_without_appointment_types_the_form_says_who_adds_them(as_practitioner, create_url):
    page = parse(as_practitioner.get(create_url).content.decode())
    assert (
        "Your clinic offers no appointment types yet" in page.one(id="div_id_appointment_type").text
    )


def test_a_clinic_without_rooms_is_not_asked_for_one(
    as_practitioner, practitioner, follow_up, create_url
):
    page = parse(as_practitioner.get(create_url).content.decode())
    assert not page.all("select", name="room")
    response = as_practitioner.post(create_url, plan_form(practitioner, follow_up))
    assert response.status_code == 302
    assert {a.room for a in TreatmentPlan.objects.get().appointments.all()} == {None}
