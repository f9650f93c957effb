"""The demo a newcomer learns from (issue 14): every demo client has a history of signed
sessions with points, responses, hold times and pain marks, and an issued home-care sheet;
the client page shows the chart, the timeline and what helped; the practitioners have a
diary, a day of appointments and a treatment plan; running it twice adds nothing."""

import io
from datetime import time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from catalogue.cautioning import LOCATION_SCOPES
from clinic.models import Client, Clinic, Practitioner
from homecare.models import HomeCareSheet
from operations.demo.history import PAIN
from operations.demo.people import CLINICS
from scheduling.models import Appointment, AppointmentType, Room, TreatmentPlan, WorkingHours
from sessions.cautions import row_warnings, rule_book
from sessions.models import Outcome, TreatedPoint, TreatmentSession
from tests.conftest import logged_in
from tests.html_parts import parse

CONDITIONS = {
    (first, last): conditions
    for spec in CLINICS.values()
    for first, last, *_, conditions in spec["clients"]
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded twice, once for the module (24 histories, 24 PDFs), in a transaction rolled
    back at its end; each test runs inside it. The counts after the first run."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_catalogue", verbosity=0, stdout=io.StringIO())
        call_command("seed_demo", password="demo-pass-1", stdout=io.StringIO())
        counts = (
            TreatmentSession.objects.count(),
            HomeCareSheet.objects.count(),
            *diary_counts(),
        )
        call_command("seed_demo", password="demo-pass-1", stdout=io.StringIO())
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def diary_counts():
    return tuple(
        model.objects.count()
        for model in (Appointment, AppointmentType, Room, WorkingHours, TreatmentPlan)
    )


def test_running_it_twice_adds_nothing(demo):
    assert (
        TreatmentSession.objects.count(),
        HomeCareSheet.objects.count(),
        *diary_counts(),
    ) == demo


def test_every_clinic_has_types_rooms_and_weekday_hours(demo):
    for clinic in Clinic.objects.all():
        types = AppointmentType.objects.for_clinic(clinic)
        assert {(t.name, t.minutes) for t in types} == {("First visit", 60), ("Follow-up", 45)}
        assert Room.objects.for_clinic(clinic).count() == 2
        for practitioner in Practitioner.objects.filter(clinic=clinic):
            week = WorkingHours.objects.filter(practitioner=practitioner)
            assert {(h.weekday, h.starts, h.ends) for h in week} == {
                (day, time(9), time(17)) for day in range(5)
            }


def test_the_demo_practitioners_have_a_day_with_one_client_arrived(demo, client):
    ana = Practitioner.objects.get(user__username="ana")
    logged_in(client, ana.user)
    page = parse(client.get(reverse("clinic:dashboard")).content.decode())
    rows = page.all(testid="today-appointment")
    assert len(rows) == 4
    assert [row.one(testid="today-status").text for row in rows] == [
        "Arrived", "Booked", "Booked", "Booked"
    ]  # fmt: skip
    assert rows[0].one(testid="today-time").text == "09:00–10:00"
    assert any(row.all(testid="today-flags") for row in rows)  # Margaret's blood thinners
    assert all(row.one(testid="today-last-session").all("a") for row in rows)


def test_one_treatment_plan_is_booked_as_a_series(demo, client):
    plan = TreatmentPlan.objects.get()
    assert (plan.client.first_name, plan.sessions_planned, plan.review_at) == ("Owen", 6, [3, 6])
    booked = list(plan.appointments.order_by("plan_number"))
    assert [a.plan_number for a in booked] == [1, 2, 3, 4, 5, 6]
    zone = ZoneInfo(settings.TIME_ZONE)
    assert {a.starts_at.astimezone(zone).time() for a in booked} == {time(11, 30)}
    logged_in(client, plan.practitioner.user)
    page = parse(
        client.get(reverse("clinic:client-detail", args=[plan.client.pk])).content.decode()
    )
    assert page.one(testid="plan-progress").text == "0 of 6 done, next review at session 3"


def test_every_client_has_signed_sessions_with_points_responses_and_holds(demo):
    clients = Client.objects.all()
    assert clients.count() == len(CONDITIONS)
    for client in clients:
        sessions = TreatmentSession.objects.filter(client=client)
        assert sessions.count() >= 3, client
        # consent recorded before the first session, by the practitioner treating
        assert client.consent_given_at < sessions.earliest("started_at").started_at
        assert client.consent_recorded_by == client.primary_practitioner
        assert not sessions.filter(signed_at__isnull=True).exists(), client
        for session in sessions:
            slugs = {c.slug for c in session.conditions.all()}
            assert slugs == set(CONDITIONS[client.first_name, client.last_name])
            assert session.pain_after is not None
            assert session.outcome in Outcome.values  # SQLite would store any text
            points = list(session.treated_points.select_related("point", "tool"))
            assert points, session
            assert all(p.response and p.held_seconds and p.hold_ended for p in points)
            if slugs & set(PAIN):
                assert session.pain_marks, session
            else:
                assert session.pain_marks == []


def test_no_demo_session_presses_a_point_cautioned_for_the_client(demo):
    """A point with a caution of its own for the client's flags is left out (LI4, GB21 and
    BL60 in pregnancy, the operated knee), whole-body rules are met with light pressure:
    nothing needs acknowledging, and the flagged clients still have sessions."""
    flagged = Client.objects.exclude(health_flags=[])
    assert flagged.count() >= 8
    for client in flagged:
        points = list(
            TreatedPoint.objects.filter(session__client=client).select_related("point", "tool")
        )
        assert points, client
        findings = [f for w in row_warnings(rule_book(client), points) for f in w.findings]
        assert not [f.label for f in findings if f.breached or f.rule.scope in LOCATION_SCOPES]
    pregnant = TreatedPoint.objects.filter(session__client__first_name__in=["Priya", "Sofia"])
    assert not pregnant.filter(point__code__in=["LI4", "GB21", "BL60"]).exists()
    on_blood_thinners = TreatedPoint.objects.filter(session__client__first_name="Margaret")
    assert set(on_blood_thinners.values_list("pressure", flat=True)) == {"light"}


def test_no_tennis_ball_at_the_table(demo):
    """The catalogue's tennis ball is for pressing at home; the practitioner uses the elbow."""
    pressed = TreatedPoint.objects.filter(session__client__first_name="Owen")
    assert pressed.filter(point__code="GB30", tool__slug="elbow").exists()
    assert not TreatedPoint.objects.filter(tool__slug="tennis-ball").exists()


def test_the_points_are_not_always_used_together(demo):
    """So the honest "what helped" has point sets to compare, not one set."""
    owen = Client.objects.get(first_name="Owen", last_name="Price")
    sets = {
        frozenset(s.treated_points.values_list("point__code", flat=True))
        for s in TreatmentSession.objects.filter(client=owen)
    }
    assert len(sets) >= 2


def test_every_client_has_an_issued_sheet_with_its_pdf(demo):
    for client in Client.objects.all():
        sheet = HomeCareSheet.objects.get(client=client, issued_at__isnull=False)
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet.pdf)).pages)
        assert client.full_name in " ".join(text.split())
        code = sheet.items.first().point.code
        assert code in text


def test_the_client_page_shows_the_chart_the_timeline_and_what_helped(demo, client):
    logged_in(client, Practitioner.objects.get(user__username="ana").user)
    owen = Client.objects.get(first_name="Owen", last_name="Price")
    html = parse(client.get(reverse("clinic:client-detail", args=[owen.pk])).content.decode())
    assert html.one(None, testid="pain-chart")
    assert len(html.all("tr", testid="timeline-session")) == 4
    assert html.all("tr", testid="point-helped")
    assert html.all("tr", testid="point-set")
    relief = [td.text for td in html.all("td", testid="relief-times")]
    assert any(":" in times for times in relief)
