""" "Start session" on today's list opens the session form for the appointment's client;
the saved session is linked to the appointment (the client has arrived), and signing it
completes the appointment. All through the real pages."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from scheduling import booking, visits
from scheduling.models import Appointment
from sessions.models import TreatmentSession

from ..factories import ClientFactory, TreatmentSessionFactory
from ..html_parts import parse
from ..sessions.page_support import session_form, sign_url
from .conftest import local_at

DASHBOARD = reverse("clinic:dashboard")
Status = Appointment.Status


@pytest.fixture
def appointment(practitioner, client_record):
    starts_at = local_at(timezone.localdate(), 9)
    return booking.book_appointment(
        client=client_record,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        booked_by=practitioner,
    )


def start_url(appointment):
    return reverse("scheduling:appointment-session", args=[appointment.pk])


def start_link(http):
    page = parse(http.get(DASHBOARD).content.decode())
    row = page.one(testid="today-appointment")
    return next(a.attrs["href"] for a in row.all("a") if a.text == "Start session")


def test_start_session_links_and_signing_completes_the_appointment(
    as_practitioner, practitioner, catalogue, appointment, client_record
):
    url = start_link(as_practitioner)
    assert url == start_url(appointment)
    page = parse(as_practitioner.get(url).content.decode())
    form = page.one("form", id="session-form")
    assert page.one(testid="session-for-appointment").text == (
        f"for the appointment {timezone.localtime(appointment.starts_at):%a %-d %b, 09:00}"
    )
    assert form.attrs.get("action", "") == ""  # it posts back here, to be linked

    response = as_practitioner.post(url, session_form())

    session = TreatmentSession.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("sessions:session-detail", args=[session.pk])
    assert session.client == client_record
    appointment.refresh_from_db()
    assert (appointment.session, appointment.status) == (session, Status.ARRIVED)
    row = parse(as_practitioner.get(DASHBOARD).content.decode()).one(testid="today-appointment")
    assert [a.text for a in row.all("a") if "btn" in a.attrs.get("class", "")] == ["Open session"]

    response = as_practitioner.post(sign_url(session), {"revision": session.revision})

    assert response.status_code == 302
    session.refresh_from_db()
    appointment.refresh_from_db()
    assert session.is_signed
    assert appointment.status == Status.COMPLETED
    assert appointment.history.latest().history_user == practitioner.user


def test_a_second_start_goes_to_the_session(as_practitioner, catalogue, appointment, practitioner):
    as_practitioner.post(start_url(appointment), session_form())
    session = TreatmentSession.objects.get()
    for method in (as_practitioner.get, as_practitioner.post):
        response = method(start_url(appointment), session_form())
        assert response.status_code == 302
        assert response.url == reverse("sessions:session-detail", args=[session.pk])
    assert TreatmentSession.objects.count() == 1


def test_a_colleague_starts_the_session_from_the_clinics_diary(
    client, colleague, catalogue, appointment
):
    client.force_login(colleague.user)
    client.post(start_url(appointment), session_form())
    session = TreatmentSession.objects.get()
    appointment.refresh_from_db()
    assert (session.practitioner, appointment.session) == (colleague, session)
    client.post(sign_url(session), {"revision": session.revision})
    appointment.refresh_from_db()
    assert appointment.status == Status.COMPLETED


def test_a_form_with_errors_links_nothing(as_practitioner, catalogue, appointment):
    response = as_practitioner.post(start_url(appointment), session_form(pain_before="11"))
    assert response.status_code == 200
    assert "Pain before" in response.content.decode()
    appointment.refresh_from_db()
    assert (appointment.session, appointment.status) == (None, Status.BOOKED)
    assert not TreatmentSession.objects.exists()


def test_signing_a_session_without_an_appointment_changes_no_appointment(
    as_practitioner, catalogue, appointment, client_record
):
    as_practitioner.post(
        reverse("sessions:session-create", args=[client_record.pk]), session_form()
    )
    session = TreatmentSession.objects.get()
    as_practitioner.post(sign_url(session), {"revision": session.revision})
    session.refresh_from_db()
    appointment.refresh_from_db()
    assert session.is_signed and appointment.status == Status.BOOKED


def test_a_refused_signing_leaves_the_appointment_arrived(as_practitioner, catalogue, appointment):
    as_practitioner.post(start_url(appointment), session_form(pain_after="", outcome=""))
    session = TreatmentSession.objects.get()
    as_practitioner.post(sign_url(session), {"revision": session.revision})
    session.refresh_from_db()
    appointment.refresh_from_db()
    assert not session.is_signed and appointment.status == Status.ARRIVED


def test_a_no_show_keeps_its_status_when_the_session_is_signed(
    as_practitioner, practitioner, catalogue, appointment
):
    as_practitioner.post(start_url(appointment), session_form())
    session = TreatmentSession.objects.get()
    appointment.refresh_from_db()
    booking.set_status(appointment=appointment, changed_by=practitioner, status="no_show")
    as_practitioner.post(sign_url(session), {"revision": session.revision})
    session.refresh_from_db()
    appointment.refresh_from_db()
    assert session.is_signed and appointment.status == Status.NO_SHOW


def test_a_cancelled_appointment_starts_no_session(
    as_practitioner, practitioner, catalogue, appointment, client_record
):
    booking.set_status(
        appointment=appointment, changed_by=practitioner, status="cancelled", reason="Ill"
    )
    response = as_practitioner.get(start_url(appointment))
    assert response.status_code == 302
    assert response.url == reverse("clinic:client-detail", args=[client_record.pk])
    response = as_practitioner.post(start_url(appointment), session_form())
    assert not TreatmentSession.objects.exists()
    page = as_practitioner.get(response.url).content.decode()
    assert "An appointment that is cancelled cannot be given a session." in page


def test_repeat_last_session_stays_on_the_appointment(
    as_practitioner, catalogue, appointment, client_record
):
    as_practitioner.post(
        reverse("sessions:session-create", args=[client_record.pk]), session_form()
    )
    page = parse(as_practitioner.get(start_url(appointment)).content.decode())
    repeat = next(a for a in page.all("a") if a.text == "Repeat last session")
    assert repeat.attrs["href"] == "?repeat=last"
    page = parse(as_practitioner.get(start_url(appointment), {"repeat": "last"}).content.decode())
    assert page.one("input", name="points-TOTAL_FORMS").attrs["value"] == "2"
    as_practitioner.post(start_url(appointment), session_form())
    appointment.refresh_from_db()
    assert appointment.session == TreatmentSession.objects.latest("pk")


def test_signing_through_the_api_completes_it_too(
    as_practitioner, api_as_practitioner, catalogue, appointment
):
    as_practitioner.post(start_url(appointment), session_form())
    session = TreatmentSession.objects.get()
    response = api_as_practitioner.post(f"/api/v1/sessions/{session.pk}/sign/")
    assert response.status_code == 200, response.content
    appointment.refresh_from_db()
    assert appointment.status == Status.COMPLETED


def test_the_link_is_refused_for_another_clients_session_or_a_second_one(
    practitioner, appointment, client_record
):
    other = TreatmentSessionFactory(
        client=ClientFactory(clinic=practitioner.clinic), practitioner=practitioner
    )
    with pytest.raises(ValidationError, match="another client's"):
        visits.link_session(appointment=appointment, session=other, linked_by=practitioner)
    own = TreatmentSessionFactory(client=client_record, practitioner=practitioner)
    visits.link_session(appointment=appointment, session=own, linked_by=practitioner)
    again = TreatmentSessionFactory(client=client_record, practitioner=practitioner)
    with pytest.raises(ValidationError, match="already has its session"):
        visits.link_session(appointment=appointment, session=again, linked_by=practitioner)
    appointment.refresh_from_db()
    assert (appointment.session, appointment.status) == (own, Status.ARRIVED)


def until_a_lock_is_awaited(cursor, *, within=10.0):
    """Polls PostgreSQL until another connection waits for a row lock (no sleeping)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        if cursor.fetchone()[0]:
            return
    raise AssertionError("nobody waited for the lock")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_a_cancel_committed_while_the_session_is_signed_leaves_it_cancelled(
    practitioner, client_record, appointment
):
    """The desk cancels while the practitioner signs: the signing waits for the cancel,
    then leaves the appointment cancelled, and is not refused for it."""
    session = TreatmentSessionFactory(client=client_record, practitioner=practitioner)
    visits.link_session(appointment=appointment, session=session, linked_by=practitioner)
    holding = threading.Event()

    def desk():
        try:
            with transaction.atomic():
                booking.set_status(
                    appointment=appointment,
                    changed_by=practitioner,
                    status="cancelled",
                    reason="Phoned in sick",
                )
                holding.set()
                with connection.cursor() as cursor:
                    until_a_lock_is_awaited(cursor)  # the signing queues behind the cancel
        finally:
            connection.close()

    thread = threading.Thread(target=desk)
    thread.start()
    assert holding.wait(timeout=10)
    try:
        visits.complete_for_signed(session=session, signed_by=practitioner)
    finally:
        thread.join()
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
