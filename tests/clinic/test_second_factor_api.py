"""The second factor at the API's token endpoint (`otp` in the body), and API calls of an
account that needs a second factor and has none."""

import pytest
from django.urls import reverse

from clinic import second_factor
from clinic.access_log import AccessEvent

from ..conftest import PASSWORD
from ..otp import RECOVERY_CODES, code_for, give_app, wrong_code

TOKEN = reverse("api:token")


def token_login(api, **extra):
    return api.post(TOKEN, {"username": "ana", "password": PASSWORD, **extra}, format="json")


def actions(user):
    events = AccessEvent.objects.filter(user=user).order_by("pk")
    return list(events.values_list("action", flat=True))


class TestWithAnApp:
    @pytest.fixture
    def app(self, practitioner):
        return give_app(practitioner.user)

    @pytest.mark.parametrize("extra", [{}, {"otp": ""}, {"otp": "  "}])
    def test_a_missing_code_is_asked_for(self, api, app, extra):
        response = token_login(api, **extra)
        assert response.status_code == 400
        assert response.json() == {"otp": [second_factor.ENTER_CODE]}
        assert "token" not in response.json()

    def test_a_wrong_code_is_refused_logged_and_throttled(self, api, app, settings):
        settings.OTP_TOTP_THROTTLE_FACTOR = 60
        response = token_login(api, otp=wrong_code(app))
        assert response.status_code == 400
        assert response.json() == {"otp": [second_factor.WRONG_CODE]}
        assert actions(app.user) == [AccessEvent.Action.SECOND_FACTOR_FAILED]
        response = token_login(api, otp=code_for(app))  # right, but too soon after
        assert response.status_code == 400
        assert response.json()["otp"][0].startswith("Too many wrong codes. Try again in")

    def test_the_right_code_gives_a_token(self, api, app):
        response = token_login(api, otp=code_for(app))
        assert response.status_code == 200
        assert AccessEvent.Action.SECOND_FACTOR_PASSED in actions(app.user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        assert api.get(reverse("api:client-list")).status_code == 200

    def test_a_recovery_code_gives_a_token_once(self, api, app):
        assert token_login(api, otp=RECOVERY_CODES[0]).status_code == 200
        assert AccessEvent.Action.RECOVERY_CODE_USED in actions(app.user)
        response = token_login(api, otp=RECOVERY_CODES[0])
        assert response.status_code == 400
        assert response.json() == {"otp": [second_factor.WRONG_CODE]}

    def test_a_wrong_password_says_nothing_of_the_code(self, api, app):
        response = api.post(TOKEN, {"username": "ana", "password": "wrong"}, format="json")
        assert response.status_code == 400 and "otp" not in response.json()


def test_without_an_app_the_password_alone_gives_a_token(api, practitioner):
    assert token_login(api).status_code == 200


def test_an_account_that_needs_one_and_has_none_gets_no_token(api, practitioner):
    practitioner.clinic.requires_second_factor = True
    practitioner.clinic.save()
    response = token_login(api)
    assert response.status_code == 403
    assert response.json() == {"detail": second_factor.NEEDS_SETUP}


def test_a_token_from_before_the_clinic_asked_stops_working_until_set_up(api, practitioner):
    token = token_login(api).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    practitioner.clinic.requires_second_factor = True
    practitioner.clinic.save()
    response = api.get(reverse("api:client-list"))
    assert response.status_code == 403
    assert response.json() == {"detail": second_factor.NEEDS_SETUP}
    give_app(practitioner.user)
    assert api.get(reverse("api:client-list")).status_code == 200
