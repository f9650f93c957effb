"""The working-hours page: a week of up to two stretches a day, and time off."""

from datetime import time, timedelta

from django.urls import reverse
from django.utils import timezone

from scheduling.models import TimeOff, WorkingHours

URL = reverse("scheduling:hours")


def saved_week(practitioner):
    return [
        (h.weekday, h.starts, h.ends)
        for h in WorkingHours.objects.filter(practitioner=practitioner)
    ]


def test_it_saves_a_morning_and_an_afternoon(as_practitioner, practitioner):
    response = as_practitioner.post(
        URL,
        {
            "monday_0_starts": "09:00",
            "monday_0_ends": "12:30",
            "monday_1_starts": "13:30",
            "monday_1_ends": "17:00",
            "friday_0_starts": "10:00",
            "friday_0_ends": "14:00",
        },
    )
    assert response.status_code == 302
    assert saved_week(practitioner) == [
        (0, time(9), time(12, 30)),
        (0, time(13, 30), time(17)),
        (4, time(10), time(14)),
    ]
    page = as_practitioner.get(URL).content.decode()
    assert 'name="monday_1_starts" value="13:30"' in page

    # Saved again without Friday: Friday's stretch goes, with its history kept.
    as_practitioner.post(URL, {"monday_0_starts": "09:00", "monday_0_ends": "12:30"})
    assert saved_week(practitioner) == [(0, time(9), time(12, 30))]
    assert WorkingHours.history.filter(history_type="-").count() == 2


def test_bad_hours_are_named_next_to_the_field_and_nothing_is_saved(as_practitioner, practitioner):
    WorkingHours.objects.create(practitioner=practitioner, weekday=2, starts=time(9), ends=time(17))
    response = as_practitioner.post(
        URL,
        {
            "monday_0_starts": "17:00",
            "monday_0_ends": "09:00",
            "tuesday_0_starts": "09:00",
            "wednesday_0_starts": "nine",
            "wednesday_0_ends": "17:00",
        },
    )
    assert response.status_code == 200
    form = response.context["week"]
    assert form.errors == {
        "monday_0_ends": ["The end must be after the start."],
        "tuesday_0_ends": ["Give both the start and the end, or neither."],
        "wednesday_0_starts": ["Enter a valid time."],
    }
    page = response.content.decode()
    assert 'value="nine"' in page and 'id="id_monday_0_ends-error"' in page
    assert saved_week(practitioner) == [(2, time(9), time(17))]


def test_overlapping_stretches_are_refused(as_practitioner, practitioner):
    response = as_practitioner.post(
        URL,
        {
            "monday_0_starts": "09:00",
            "monday_0_ends": "13:00",
            "monday_1_starts": "12:00",
            "monday_1_ends": "17:00",
        },
    )
    assert response.status_code == 200
    assert "Monday 09:00–13:00 and Monday 12:00–17:00 overlap." in response.content.decode()
    assert saved_week(practitioner) == []


def test_a_nul_in_a_time_is_refused(as_practitioner, practitioner):
    response = as_practitioner.post(URL, {"monday_0_starts": "09:00\x00", "monday_0_ends": "17:00"})
    assert response.status_code == 200
    assert "monday_0_starts" in response.context["week"].errors
    assert saved_week(practitioner) == []


def test_time_off_is_added_shown_and_removed(as_practitioner, practitioner):
    day = timezone.localdate() + timedelta(days=5)
    response = as_practitioner.post(
        reverse("scheduling:time-off-add"),
        {"starts_at": f"{day}T09:00", "ends_at": f"{day}T17:00", "reason": "Training"},
    )
    assert response.status_code == 302
    away = TimeOff.objects.get(practitioner=practitioner)
    assert timezone.localtime(away.starts_at).hour == 9
    assert "Training" in as_practitioner.get(URL).content.decode()
    as_practitioner.post(reverse("scheduling:time-off-remove", args=[away.pk]))
    assert not TimeOff.objects.exists()
    assert TimeOff.history.count() == 2


def test_time_off_that_ends_before_it_starts_is_refused(as_practitioner, practitioner):
    day = timezone.localdate() + timedelta(days=5)
    response = as_practitioner.post(
        reverse("scheduling:time-off-add"),
        {"starts_at": f"{day}T17:00", "ends_at": f"{day}T09:00", "reason": "Oops"},
    )
    assert response.status_code == 200
    assert response.context["time_off_form"].errors == {
        "ends_at": ["The end must be after the start."]
    }
    assert 'value="Oops"' in response.content.decode()
    assert not TimeOff.objects.exists()


def test_the_page_costs_the_same_with_a_full_week(
    as_practitioner, practitioner, django_assert_num_queries
):
    def queries():
        with django_assert_num_queries(QUERIES):
            as_practitioner.get(URL)

    # the login session, user, practitioner, clinic; the week's hours; the time off to
    # come (the session's expiry is not written back within the minute)
    QUERIES = 6
    queries()
    for weekday in range(7):
        WorkingHours.objects.create(
            practitioner=practitioner, weekday=weekday, starts=time(9), ends=time(17)
        )
        TimeOff.objects.create(
            practitioner=practitioner,
            starts_at=timezone.now() + timedelta(days=weekday + 1),
            ends_at=timezone.now() + timedelta(days=weekday + 1, hours=2),
        )
    queries()
