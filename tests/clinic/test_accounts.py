import datetime

import pytest
from django.core import mail
from django.urls import reverse

from ..factories import TreatmentSessionFactory


def test_login_page_and_a_wrong_password(client, practitioner):
    response = client.post(reverse("login"), {"username": "ana", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    response = client.post(
        reverse("login"), {"username": "ana", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response.url == reverse("clinic:dashboard")


def test_password_reset_sends_a_link_by_email(client, practitioner):
    practitioner.user.email = "ana@example.com"
    practitioner.user.save()
    response = client.post(reverse("password_reset"), {"email": "ana@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_password_change_needs_login_and_checks_the_old_password(client, practitioner):
    url = reverse("password_change")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(practitioner.user)
    response = client.post(
        url,
        {
            "old_password": "nope",
            "new_password1": "N3w-pass-word!",
            "new_password2": "N3w-pass-word!",
        },
    )
    assert "old_password" in response.context["form"].errors
    practitioner.user.refresh_from_db()
    assert practitioner.user.check_password("correct-horse-battery")


def test_logout_needs_post(client, practitioner):
    client.force_login(practitioner.user)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).url == reverse("login")
    response = client.get(reverse("clinic:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("zone,shown", [("Asia/Tokyo", "21:30"), ("", "12:30")])
def test_times_are_stored_in_utc_and_shown_in_the_clinics_zone(
    as_practitioner, client_record, zone, shown
):
    clinic = client_record.clinic
    clinic.time_zone = zone
    clinic.save()
    session = TreatmentSessionFactory(
        client=client_record,
        started_at=datetime.datetime(2026, 3, 2, 12, 30, tzinfo=datetime.UTC),
    )
    response = as_practitioner.get(reverse("sessions:session-detail", args=[session.pk]))
    assert f"2 Mar 2026, {shown}" in response.content.decode()


def test_token_clients_get_dates_in_the_clinics_zone_too(api, practitioner, client_record):
    from clinic.api_tokens import issue

    clinic = client_record.clinic
    clinic.time_zone = "Pacific/Auckland"
    clinic.save()
    TreatmentSessionFactory(
        client=client_record, started_at=datetime.datetime(2024, 1, 1, 20, 0, tzinfo=datetime.UTC)
    )
    _, secret = issue(user=practitioner.user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    found = api.get("/api/v1/sessions/", {"date_from": "2024-01-02"}).json()
    assert len(found["results"]) == 1  # 20:00 UTC on 1 January is 2 January in Auckland


@pytest.mark.parametrize("by_token", [False, True])
def test_the_clinics_zone_ends_with_its_request(by_token, client, api, practitioner):
    """A zone left active would move the next request's (or test's) "today" on that
    thread: a plan booked at noon today in UTC vanished from the dashboard after a New
    York clinic's request."""
    from django.utils import timezone

    from clinic.api_tokens import issue

    practitioner.clinic.time_zone = "America/New_York"
    practitioner.clinic.save()
    if by_token:
        _, secret = issue(user=practitioner.user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        response = api.get("/api/v1/sessions/")
    else:
        client.force_login(practitioner.user)
        response = client.get(reverse("clinic:dashboard"))
    assert response.status_code == 200
    assert str(timezone.get_current_timezone()) == "UTC"
