"""A login ends after 12 hours even when the practitioner keeps working."""

import time

from django.urls import reverse

from clinic.session_lifetime import STARTED


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
