"""The dashboard opens on the practitioner's day: today's appointments, each with the
client's health flags and last session, and Arrived, No-show and Start session."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from scheduling import booking, plans
from scheduling.models import Appointment

from ..factories import ClientFactory, TreatmentSessionFactory
from ..html_parts import parse
from .conftest import local_at

DASHBOARD = reverse("clinic:dashboard")


def book(client, practitioner, starts_at, minutes=45, **options):
    return booking.book_appointment(
        client=client,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        booked_by=practitioner,
        **options,
    )


def start_plan(client, practitioner, starts_at, sessions):
    return plans.start_plan(
        client=client,
        practitioner=practitioner,
        created_by=practitioner,
        goal="Calmer sleep",
        sessions_planned=sessions,
        interval_days=7,
        first_starts_at=starts_at,
        minutes=30,
    )


def today_rows(response):
    assert response.status_code == 200
    return parse(response.content.decode()).all(testid="today-appointment")


def mark(http, appointment, status, revision=None):
    revision = appointment.revision if revision is None else revision
    url = reverse("scheduling:appointment-status", args=[appointment.pk])
    return http.post(url, {"status": status, "revision": revision, "next": "dashboard"})


def test_it_shows_todays_appointments_with_flags_and_last_session(
    as_practitioner, practitioner, colleague, client_record, follow_up, room
):
    today = timezone.localdate()
    flagged = ClientFactory(
        clinic=practitioner.clinic, first_name="Priya", health_flags=["pregnancy"]
    )
    last = TreatmentSessionFactory(
        client=flagged, practitioner=colleague, started_at=timezone.now() - timedelta(days=9)
    )
    TreatmentSessionFactory(  # an older one: not the last
        client=flagged, practitioner=practitioner, started_at=timezone.now() - timedelta(days=30)
    )
    later = book(client_record, practitioner, local_at(today, 14), appointment_type=follow_up)
    first = book(flagged, practitioner, local_at(today, 9, 30), room=room)
    book(client_record, practitioner, local_at(today + timedelta(days=1), 9))  # tomorrow
    book(client_record, practitioner, local_at(today - timedelta(days=1), 9))  # yesterday
    book(flagged, colleague, local_at(today, 11))  # the colleague's day
    cancelled = book(client_record, practitioner, local_at(today, 16))
    booking.set_status(
        appointment=cancelled, changed_by=practitioner, status="cancelled", reason="Flu"
    )

    rows = today_rows(as_practitioner.get(DASHBOARD))

    assert [int(row.attrs["data-appointment"]) for row in rows] == [first.pk, later.pk]
    priya, margaret = rows
    assert priya.one(testid="today-time").text == "09:30–10:15"
    assert priya.one(testid="today-client").text == flagged.display_name
    assert "Room 1" in priya.text
    assert priya.one(testid="today-status").text == "Booked"
    assert priya.one(testid="today-flags").text == "Health flags: Pregnancy"
    link = priya.one(testid="today-last-session").one("a")
    assert link.attrs["href"] == reverse("sessions:session-detail", args=[last.pk])
    assert link.text == timezone.localtime(last.started_at).strftime("%-d %b %Y")
    assert margaret.one(testid="today-time").text == "14:00–14:45"
    assert "Follow-up" in margaret.text
    assert not margaret.all(testid="today-flags")
    assert margaret.one(testid="today-last-session").text == "No session yet"
    buttons = [b.text for b in margaret.all("button")] + [a.text for a in margaret.all("a")]
    assert {"Arrived", "No-show", "Start session"} <= set(buttons)


def test_today_is_the_clinics_day(as_practitioner, practitioner, client_record):
    """In Auckland it is already tomorrow while UTC's day is still today, or the other way
    round: the list follows the clinic's calendar."""
    practitioner.clinic.time_zone = "Pacific/Auckland"
    practitioner.clinic.save()
    auckland = ZoneInfo("Pacific/Auckland")
    with timezone.override(auckland):
        today = timezone.localdate()
        at_breakfast = book(client_record, practitioner, local_at(today, 7))
        tomorrow = book(client_record, practitioner, local_at(today + timedelta(days=1), 7))

    rows = today_rows(as_practitioner.get(DASHBOARD))

    assert [int(row.attrs["data-appointment"]) for row in rows] == [at_breakfast.pk]
    assert rows[0].one(testid="today-time").text == "07:00–07:45"
    assert tomorrow.pk not in [int(row.attrs["data-appointment"]) for row in rows]


def test_a_plans_appointment_names_its_plan(as_practitioner, practitioner, client_record):
    plan = start_plan(client_record, practitioner, local_at(timezone.localdate(), 12), 4)
    row = today_rows(as_practitioner.get(DASHBOARD))[0]
    link = row.one(testid="today-plan")
    assert link.text == "session 1 of 4 in a plan"
    assert link.attrs["href"] == reverse("scheduling:plan-detail", args=[plan.pk])


def test_no_appointments_today_says_so(as_practitioner):
    page = parse(as_practitioner.get(DASHBOARD).content.decode())
    assert page.one(testid="today-empty").text == "No appointments for you today."


def test_arrived_marks_the_appointment(as_practitioner, practitioner, client_record):
    appointment = book(client_record, practitioner, local_at(timezone.localdate(), 9))
    response = mark(as_practitioner, appointment, "arrived")
    assert response.status_code == 302 and response.url == DASHBOARD
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ARRIVED
    assert appointment.history.latest().history_user == practitioner.user
    row = today_rows(as_practitioner.get(DASHBOARD))[0]
    assert row.one(testid="today-status").text == "Arrived"
    assert "Arrived" not in [b.text for b in row.all("button")]


def test_no_show_marks_the_appointment_and_can_be_undone(
    as_practitioner, practitioner, client_record
):
    appointment = book(client_record, practitioner, local_at(timezone.localdate(), 9))
    mark(as_practitioner, appointment, "no_show")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW
    row = today_rows(as_practitioner.get(DASHBOARD))[0]
    assert [b.text for b in row.all("button")] == ["Undo no-show"]
    assert not [a for a in row.all("a") if a.text == "Start session"]
    mark(as_practitioner, appointment, "booked")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_a_mark_over_a_newer_revision_changes_nothing(
    as_practitioner, practitioner, colleague, client_record
):
    appointment = book(client_record, practitioner, local_at(timezone.localdate(), 9))
    shown = appointment.revision
    booking.set_status(appointment=appointment, changed_by=colleague, status="no_show")
    response = mark(as_practitioner, appointment, "arrived", revision=shown)
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW
    page = as_practitioner.get(DASHBOARD).content.decode()
    assert "after you opened it. Nothing was marked" in page


def test_it_refuses_a_status_it_does_not_offer(as_practitioner, practitioner, client_record):
    appointment = book(client_record, practitioner, local_at(timezone.localdate(), 9))
    for status, message in (
        ("completed", "An appointment that is booked cannot be marked completed."),
        ("cancelled", "Say why the appointment is cancelled."),
        ("nonsense\x00", "Choose one of the buttons offered."),
    ):
        response = mark(as_practitioner, appointment, status)
        assert response.status_code == 302 and response.url == DASHBOARD
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.BOOKED
        assert message in as_practitioner.get(DASHBOARD).content.decode()


def test_a_completed_appointment_is_not_marked_no_show(
    as_practitioner, practitioner, client_record
):
    appointment = book(client_record, practitioner, local_at(timezone.localdate(), 9))
    booking.set_status(appointment=appointment, changed_by=practitioner, status="arrived")
    booking.set_status(appointment=appointment, changed_by=practitioner, status="completed")
    appointment.refresh_from_db()
    mark(as_practitioner, appointment, "no_show")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.COMPLETED
    page = as_practitioner.get(DASHBOARD).content.decode()
    assert "An appointment that is completed cannot be marked no-show." in page


def day_of(practitioner, colleague, count):
    """`count` appointments today, each with its own flagged client with two sessions,
    every other one a plan's."""
    today = timezone.localdate()
    for n in range(count):
        client = ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])
        TreatmentSessionFactory.create_batch(2, client=client, practitioner=colleague)
        starts_at = local_at(today, 8) + timedelta(minutes=30 * n)
        if n % 2:
            book(client, practitioner, starts_at, minutes=30)
        else:  # a plan's: the row names the plan and its length
            start_plan(client, practitioner, starts_at, sessions=1)


def dashboard_queries(http, practitioner, colleague, count, django_assert_num_queries):
    day_of(practitioner, colleague, count)
    # The login session, user, practitioner, clinic; the latest client change and the
    # counts (the cache is empty); today's appointments
    # with their clients, types, rooms, plans and last sessions (subqueries) in one; the flags'
    # labels; unsigned sessions; recent clients.
    with django_assert_num_queries(DASHBOARD_QUERIES):
        rows = today_rows(http.get(DASHBOARD))
    assert len(rows) == count


DASHBOARD_QUERIES = 10


def test_one_appointment_costs_as_many_queries_as_ten(
    as_practitioner, practitioner, colleague, django_assert_num_queries
):
    dashboard_queries(as_practitioner, practitioner, colleague, 1, django_assert_num_queries)


def test_ten_appointments_cost_as_many_queries_as_one(
    as_practitioner, practitioner, colleague, django_assert_num_queries
):
    dashboard_queries(as_practitioner, practitioner, colleague, 10, django_assert_num_queries)
