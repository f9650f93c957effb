"""Locked-out logins, listed and cleared by a clinic manager (their clinic's accounts) or
the superuser (every account), each clearing written to the access log."""

from itertools import count

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client as Browser
from django.urls import reverse

from clinic.access_log import AccessEvent
from clinic.models import Practitioner

from ..conftest import PASSWORD, logged_in
from ..factories import PractitionerFactory

LIST, CLEAR = reverse("clinic:lockout-list"), reverse("clinic:lockout-clear")


ADDRESSES = (f"192.0.2.{n % 250}" for n in count(1))


def fail_to_log_in(username, times=5):
    """From an address of its own, so the address rule never answers instead."""
    browser = Browser(REMOTE_ADDR=next(ADDRESSES))
    for _ in range(times):
        response = browser.post(reverse("login"), {"username": username, "password": "wrong"})
    return response


@pytest.fixture
def as_manager(client, clinic_manager):
    return logged_in(client, clinic_manager.user)


@pytest.fixture
def locked(practitioner, outsider):
    for username in ("ana", "chen", "nobody"):
        assert fail_to_log_in(username).status_code == 429


def listed(response):
    page = response.content.decode()
    return [name for name in ("ana", "chen", "nobody") if f'value="{name}"' in page]


def test_a_manager_sees_their_clinics_lockouts_only(as_manager, locked):
    response = as_manager.get(LIST)
    assert response.status_code == 200
    assert listed(response) == ["ana"]
    assert "Ana Duarte" in response.content.decode()


def test_clearing_lets_the_account_log_in_again_and_is_logged(
    as_manager, clinic_manager, practitioner, locked
):
    response = as_manager.post(CLEAR, {"username": "ana"}, follow=True)
    assert "Cleared the lockout of Ana Duarte (ana)" in response.content.decode()
    assert listed(response) == []
    browser = Browser()
    response = browser.post(reverse("login"), {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302
    entry = AccessEvent.objects.get(action=AccessEvent.Action.LOCKOUT_CLEARED)
    assert (entry.user, entry.clinic, entry.detail) == (
        clinic_manager.user,
        practitioner.clinic,
        "for ana",
    )
    assert AccessAttempt.objects.filter(username="chen").exists()  # others untouched


def test_the_username_is_taken_as_authentication_sees_it(as_manager, locked):
    as_manager.post(CLEAR, {"username": " ＡＮＡ "})
    assert not AccessAttempt.objects.filter(username="ana").exists()


def test_nothing_to_clear_says_so_and_logs_nothing(as_manager, colleague):
    response = as_manager.post(CLEAR, {"username": "ben"}, follow=True)
    assert "has no failed logins to clear" in response.content.decode()
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.LOCKOUT_CLEARED).exists()


def test_another_clinics_manager_gets_404_for_this_clinics_account(client, outsider, locked):
    other_manager = PractitionerFactory(clinic=outsider.clinic, role=Practitioner.Role.MANAGER)
    logged_in(client, other_manager.user)
    assert client.post(CLEAR, {"username": "ana"}).status_code == 404
    assert client.post(CLEAR, {"username": "nobody"}).status_code == 404
    assert listed(client.get(LIST)) == ["chen"]
    assert AccessAttempt.objects.filter(username="ana").exists()


def test_an_ordinary_practitioner_gets_403(as_practitioner, locked):
    assert as_practitioner.get(LIST).status_code == 403
    assert as_practitioner.post(CLEAR, {"username": "ana"}).status_code == 403
    assert AccessAttempt.objects.filter(username="ana").exists()


def test_the_superuser_sees_and_clears_every_lockout(client, locked):
    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    logged_in(client, root)
    assert listed(client.get(LIST)) == ["ana", "chen", "nobody"]
    client.post(CLEAR, {"username": "nobody"})
    assert listed(client.get(LIST)) == ["ana", "chen"]
    entry = AccessEvent.objects.get(action=AccessEvent.Action.LOCKOUT_CLEARED)
    assert (entry.user, entry.clinic, entry.detail) == (root, None, "for nobody")


def test_only_managers_and_the_superuser_see_the_link(client, practitioner, clinic_manager):
    link = f'href="{LIST}"'
    assert link not in logged_in(client, practitioner.user).get("/").content.decode()
    assert link in logged_in(client, clinic_manager.user).get("/").content.decode()


@pytest.mark.parametrize("accounts", [1, 10])
def test_the_list_query_count_is_constant(
    as_manager, clinic_manager, django_assert_num_queries, accounts
):
    for n in range(accounts):
        PractitionerFactory(user__username=f"p{n}", clinic=clinic_manager.clinic)
        fail_to_log_in(f"p{n}")
    # session, user, practitioner, clinic (timezone), the clinic's accounts (practitioner
    # joined), their lockouts (grouped).
    with django_assert_num_queries(6):
        response = as_manager.get(LIST)
    assert len(response.context["rows"]) == accounts
