"""A login ends after 12 hours even when the practitioner keeps working, and after 30 idle
minutes, without a session write on every request."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.session_lifetime import REFRESH_SECONDS, REFRESHED, STARTED

from ..conftest import PASSWORD


def started(client, hours_ago):
    session = client.session
    session[STARTED] = time.time() - hours_ago * 3600
    session.save()


def test_a_login_within_its_12_hours_goes_on(as_practitioner):
    as_practitioner.get(reverse("clinic:dashboard"))
    started(as_practitioner, 11.9)
    assert as_practitioner.get(reverse("clinic:client-list")).status_code == 200


def test_a_login_older_than_12_hours_is_ended(as_practitioner):
    as_practitioner.get(reverse("clinic:dashboard"))
    started(as_practitioner, 12.1)
    response = as_practitioner.get(reverse("clinic:client-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    # Ended for good: the next request is anonymous too.
    assert as_practitioner.get(reverse("clinic:client-list")).status_code == 302


def test_the_lifetime_is_a_setting(as_practitioner, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 60
    as_practitioner.get(reverse("clinic:dashboard"))
    started(as_practitioner, 0.1)
    assert as_practitioner.get(reverse("clinic:client-list")).status_code == 302


# The 30-minute idle limit, kept without writing the session on every request.


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def refreshed(client, seconds_ago):
    session = client.session
    session[REFRESHED] = time.time() - seconds_ago
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=10)
    )


def session_writes(queries):
    return [q["sql"] for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_requests_within_a_minute_of_the_last_refresh_write_no_session(as_practitioner):
    as_practitioner.get(reverse("clinic:dashboard"))
    refreshed(as_practitioner, 30)
    expires = session_row(as_practitioner).expire_date
    with CaptureQueriesContext(connection) as captured:
        response = as_practitioner.get(reverse("clinic:client-list"))
    assert response.status_code == 200
    assert session_writes(captured.captured_queries) == []
    assert session_row(as_practitioner).expire_date == expires
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_request_a_minute_later_pushes_the_expiry_back_30_minutes(as_practitioner):
    as_practitioner.get(reverse("clinic:dashboard"))
    refreshed(as_practitioner, REFRESH_SECONDS + 1)
    response = as_practitioner.get(reverse("clinic:client-list"))
    left = session_row(as_practitioner).expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    # The refresh starts a new minute: the next request writes nothing.
    with CaptureQueriesContext(connection) as captured:
        as_practitioner.get(reverse("clinic:client-list"))
    assert session_writes(captured.captured_queries) == []


def test_an_idle_login_past_its_expiry_is_ended(as_practitioner):
    as_practitioner.get(reverse("clinic:dashboard"))
    Session.objects.filter(session_key=as_practitioner.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = as_practitioner.get(reverse("clinic:client-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_anonymous_visitor_gets_no_session(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


def test_the_pages_after_logging_in_write_no_session(client, practitioner):
    response = client.post(reverse("login"), {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("clinic:dashboard")).status_code == 200
        assert client.get(reverse("clinic:client-list")).status_code == 200
    assert session_writes(captured.captured_queries) == []
