"""One throttle for every door (django-axes, clinic/throttle.py): the web login, the admin
login and the API token endpoint count failures per account, keyed on the username as
authentication sees it, and slow a noisy address without locking out the rest behind it.

Time passes by moving axes' records back (`pass_time`), never by sleeping, and the clock
stands still meanwhile, so a slow machine cannot shorten a wait the tests count in seconds."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ..conftest import PASSWORD

LOGIN, ADMIN_LOGIN, TOKEN = "/accounts/login/", "/admin/login/", "/api/v1/auth/token/"
COOL_OFF = 15 * 60


@pytest.fixture(autouse=True)
def still_clock():
    with time_machine.travel(timezone.now(), tick=False):
        yield


def pass_time(seconds):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


def web_login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def admin_login(client, username, password=PASSWORD):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password})


def token_login(api, username, password=PASSWORD):
    return api.post(TOKEN, {"username": username, "password": password}, format="json")


def logged_in_as(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def lock(door, username="ben", times=5):
    for _ in range(times):
        response = door(username, "wrong")
    assert response.status_code == 429
    return response


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


class TestTheAccountLimit:
    def test_five_failures_lock_the_account_for_the_cool_off(self, client, colleague):
        for _ in range(4):
            assert web_login(client, "ben", "wrong").status_code == 200
        response = web_login(client, "ben", "wrong")
        assert response.status_code == 429
        assert response["Retry-After"] == str(COOL_OFF)
        page = response.content.decode()
        assert "Too many failed logins for this account. Try again in 15 minutes" in page
        assert 'value="ben"' in page  # the typed username is kept
        assert "Please enter a correct username" not in page

        response = web_login(client, "ben")
        assert response.status_code == 429 and not logged_in_as(client, colleague.user)

        pass_time(COOL_OFF + 1)
        assert web_login(client, "ben").status_code == 302
        assert logged_in_as(client, colleague.user)

    def test_tries_while_locked_are_refused_unchecked_and_not_counted(self, client, colleague):
        lock(lambda *a: web_login(client, *a))
        pass_time(COOL_OFF - 60)
        for password in ("wrong", PASSWORD, "wrong"):
            response = web_login(client, "ben", password)
            assert response.status_code == 429
            assert response["Retry-After"] == "60"  # the lock still ends when it would have
        pass_time(61)
        assert web_login(client, "ben").status_code == 302

    def test_the_right_password_forgets_earlier_failures(self, client, colleague):
        for _ in range(4):
            web_login(client, "ben", "wrong")
        assert web_login(client, "ben").status_code == 302
        client.post(reverse("logout"))
        for _ in range(4):
            assert web_login(client, "ben", "wrong").status_code == 200

    def test_one_accounts_lockout_leaves_a_colleague_at_the_same_address_alone(
        self, client, practitioner, colleague
    ):
        lock(lambda *a: web_login(client, *a), "ana")
        assert web_login(client, "ben").status_code == 302
        assert logged_in_as(client, colleague.user)

    def test_an_unknown_username_is_locked_like_a_real_one(self, client, db):
        """So the lockout message tells nobody which accounts exist."""
        response = lock(lambda *a: web_login(client, *a), "nobody")
        assert "Too many failed logins for this account" in response.content.decode()


# Finding 2: with "ben" locked, each of these logged in with the right password; and each
# counted apart from "ben", so five tries of each were five more guesses.
PADDED_OR_FOLDED = [" ben", "ben ", "ben\t", "ｂｅｎ", "BEN", " Ｂｅｎ\n"]


@pytest.mark.parametrize("typed", PADDED_OR_FOLDED)
class TestTheUsernameAsAuthenticationSeesIt:
    def test_on_the_web_it_does_not_get_past_a_lockout(self, client, colleague, typed):
        lock(lambda *a: web_login(client, *a))
        response = web_login(client, typed)
        assert response.status_code == 429
        assert not logged_in_as(client, colleague.user)

    def test_on_the_web_its_failures_count_against_the_account(self, client, colleague, typed):
        lock(lambda *a: web_login(client, *a), typed)
        assert web_login(client, "ben").status_code == 429
        assert not logged_in_as(client, colleague.user)

    def test_on_the_api_it_does_not_get_past_a_lockout(self, api, colleague, typed):
        lock(lambda *a: token_login(api, *a))
        response = token_login(api, typed)
        assert response.status_code == 429
        assert "token" not in response.json()

    def test_on_the_api_its_failures_count_against_the_account(self, api, colleague, typed):
        lock(lambda *a: token_login(api, *a), typed)
        response = token_login(api, "ben")
        assert response.status_code == 429
        assert "token" not in response.json()


class TestEveryDoor:
    def test_the_admin_login_is_throttled(self, client, superuser):
        """Finding 1: 40 wrong passwords in a row, then the right one logged in."""
        for _ in range(4):
            assert admin_login(client, "root", "no").status_code == 200
        response = admin_login(client, "root", "no")
        assert response.status_code == 429
        assert "Too many failed logins for this account" in response.content.decode()
        assert admin_login(client, "root").status_code == 429
        assert not logged_in_as(client, superuser)

    def test_failures_at_every_door_count_together(self, client, api, colleague):
        for _ in range(2):
            assert web_login(client, "ben", "wrong").status_code == 200
            assert token_login(api, "ben", "wrong").status_code == 400
        assert admin_login(client, "ben", "wrong").status_code == 429
        assert token_login(api, "ben").status_code == 429
        assert web_login(client, "ben").status_code == 429

    def test_the_api_answers_json_with_retry_after(self, api, colleague):
        response = lock(lambda *a: token_login(api, *a))
        assert response["Content-Type"] == "application/json"
        assert response["Retry-After"] == str(COOL_OFF)
        assert response.json() == {
            "detail": "Too many failed logins for this account. Try again in 15 minutes, "
            "or ask your clinic manager to clear the lockout."
        }


class TestTheAddressRule:
    def fail_from_one_address(self, client, count):
        """`count` failed logins from the test client's one address, each with a new
        username, waiting out each delay the address is given."""
        delays = []
        for n in range(count):
            response = web_login(client, f"guess{n}", "wrong")
            if response.status_code == 429:
                delays.append(int(response["Retry-After"]))
                pass_time(delays[-1])
                response = web_login(client, f"guess{n}", "wrong")
            assert response.status_code == 200
        return delays

    def test_thirty_failures_do_not_lock_out_the_others_behind_the_address(
        self, client, colleague, superuser, settings
    ):
        """Finding 3: 30 failures from one address locked every account behind it."""
        self.fail_from_one_address(client, 30)
        pass_time(settings.LOGIN_ADDRESS_MAX_DELAY_SECONDS)
        assert admin_login(client, "root").status_code == 302
        assert logged_in_as(client, superuser)
        client.post(reverse("logout"))
        assert web_login(client, "ben").status_code == 302
        assert logged_in_as(client, colleague.user)

    def test_a_noisy_address_waits_a_short_growing_delay(self, client, colleague, settings):
        delays = self.fail_from_one_address(client, 18)
        # No wait for the first ten failures; then 1 second, doubling, at most 30.
        assert delays == [1, 2, 4, 8, 16, 30, 30, 30]
        response = web_login(client, "ben")  # the right password, during the wait
        assert response.status_code == 429
        assert response["Retry-After"] == "30"
        assert "Too many failed logins from your network. Try again in 30 seconds" in (
            response.content.decode()
        )
        pass_time(10)
        assert web_login(client, "guess0", "wrong")["Retry-After"] == "20"  # not counted
        pass_time(20)
        assert web_login(client, "ben").status_code == 302

    def test_the_api_token_endpoint_waits_too(self, client, api, colleague):
        self.fail_from_one_address(client, 11)
        response = token_login(api, "ben")
        assert response.status_code == 429
        assert response["Retry-After"] == "2"
        assert response.json() == {
            "detail": "Too many failed logins from your network. Try again in 2 seconds."
        }

    def test_another_address_is_not_slowed(self, client, colleague):
        self.fail_from_one_address(client, 11)
        response = client.post(
            LOGIN, {"username": "ben", "password": PASSWORD}, REMOTE_ADDR="192.0.2.7"
        )
        assert response.status_code == 302
