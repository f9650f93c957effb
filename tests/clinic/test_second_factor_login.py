"""The login in two steps: the password, then a code from the app or a recovery code; who
must have a second factor (staff, superusers, practitioners of a clinic that asks for it),
and what an account that needs one and has none can reach (its setup page only)."""

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from clinic import second_factor
from clinic.access_log import AccessEvent

from ..conftest import PASSWORD
from ..factories import UserFactory
from ..otp import RECOVERY_CODES, code_for, give_app, password_only_login, wrong_code

VERIFY = reverse("clinic:second-factor-verify")
SETUP = reverse("clinic:second-factor-setup")
DASHBOARD = reverse("clinic:dashboard")


def log_in(client, username, next_url=""):
    body = {"username": username, "password": PASSWORD}
    if next_url:
        body["next"] = next_url
    return client.post(reverse("login"), body)


def actions(user):
    return list(
        AccessEvent.objects.filter(user=user).order_by("pk").values_list("action", flat=True)
    )


class TestWithoutASecondFactor:
    def test_the_password_alone_logs_in(self, client, practitioner):
        response = log_in(client, "ana")
        assert response.status_code == 302 and response.url == DASHBOARD
        assert client.get(DASHBOARD).status_code == 200

    def test_the_code_page_has_nothing_to_ask(self, client, practitioner):
        log_in(client, "ana")
        response = client.get(VERIFY, {"next": "/clients/"})
        assert response.status_code == 302 and response.url == "/clients/"


class TestWithAnApp:
    @pytest.fixture
    def app(self, practitioner):
        return give_app(practitioner.user)

    def test_the_password_leads_to_the_code_page(self, client, app):
        response = log_in(client, "ana", next_url="/clients/")
        assert response.status_code == 302
        assert response.url == second_factor.step_url("verify", "/clients/")
        page = client.get(response.url)
        assert page.status_code == 200
        assert "Enter your code" in page.content.decode()

    def test_nothing_else_is_reachable_before_the_code(self, client, app, client_record):
        log_in(client, "ana")
        for url in (
            DASHBOARD,
            reverse("clinic:client-detail", args=[client_record.pk]),
            reverse("catalogue:point-list"),
            reverse("password_change"),
            reverse("clinic:account"),
            reverse("clinic:second-factor-setup"),
        ):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.url == second_factor.step_url("verify", url)
        api = client.get(reverse("api:client-list"))
        assert api.status_code == 403
        assert api.json() == {"detail": second_factor.NOT_VERIFIED}
        assert client.post(reverse("logout")).status_code == 302  # logging out stays open

    def test_a_wrong_code_is_refused_and_logged(self, client, app):
        log_in(client, "ana")
        response = client.post(VERIFY, {"code": wrong_code(app)})
        assert response.status_code == 200
        assert second_factor.WRONG_CODE in response.content.decode()
        assert client.get(DASHBOARD).status_code == 302
        assert actions(app.user)[-1] == AccessEvent.Action.SECOND_FACTOR_FAILED

    def test_the_right_code_opens_the_page_asked_for(self, client, app):
        log_in(client, "ana")
        before = client.session.session_key
        response = client.post(VERIFY, {"code": code_for(app), "next": "/clients/"})
        assert response.status_code == 302 and response.url == "/clients/"
        assert client.get(DASHBOARD).status_code == 200
        assert client.session[DEVICE_ID_SESSION_KEY] == app.persistent_id
        assert client.session.session_key != before  # a new session for the verified login
        assert actions(app.user) == [
            AccessEvent.Action.LOGIN,
            AccessEvent.Action.SECOND_FACTOR_PASSED,
        ]

    def test_a_code_is_accepted_once(self, client, app):
        code = code_for(app)
        log_in(client, "ana")
        assert client.post(VERIFY, {"code": code}).status_code == 302
        client.post(reverse("logout"))
        log_in(client, "ana")
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert client.get(DASHBOARD).status_code == 302

    def test_a_recovery_code_works_once(self, client, app):
        log_in(client, "ana")
        typed = f" {RECOVERY_CODES[0][:5].upper()}-{RECOVERY_CODES[0][5:]} "
        response = client.post(VERIFY, {"code": typed})
        assert response.status_code == 302
        assert client.get(DASHBOARD).status_code == 200
        assert actions(app.user)[-1] == AccessEvent.Action.RECOVERY_CODE_USED
        assert second_factor.recovery_codes_left(app.user) == len(RECOVERY_CODES) - 1
        client.post(reverse("logout"))
        log_in(client, "ana")
        assert client.post(VERIFY, {"code": RECOVERY_CODES[0]}).status_code == 200
        assert client.get(DASHBOARD).status_code == 302

    def test_wrong_codes_are_throttled(self, client, app, settings):
        settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute's wait after the first wrong code
        log_in(client, "ana")
        client.post(VERIFY, {"code": wrong_code(app)})
        response = client.post(VERIFY, {"code": code_for(app)})  # right, but too soon
        assert response.status_code == 429
        assert "Too many wrong codes. Try again in" in response.content.decode()
        assert client.get(DASHBOARD).status_code == 302
        app.refresh_from_db()
        assert app.throttling_failure_count == 1  # a refused try is not counted again

    def test_the_next_page_stays_on_this_site(self, client, app):
        log_in(client, "ana")
        response = client.post(VERIFY, {"code": code_for(app), "next": "https://evil.example/"})
        assert response.url == DASHBOARD


class TestWhereItIsRequired:
    def test_staff_without_one_are_sent_to_set_it_up(self, client, db):
        staff = UserFactory(username="desk", is_staff=True)
        response = client.post(
            reverse("admin:login"), {"username": "desk", "password": PASSWORD, "next": "/admin/"}
        )
        assert response.status_code == 302
        response = client.get(response.url)
        assert response.status_code == 302
        assert response.url == second_factor.step_url("setup", "/admin/")
        page = client.get(response.url)
        assert "administrator accounts always have one" in page.content.decode()
        assert client.get(DASHBOARD).url == second_factor.step_url("setup", DASHBOARD)
        api = client.get(reverse("api:point-list"))
        assert (api.status_code, api.json()) == (403, {"detail": second_factor.NEEDS_SETUP})
        assert not second_factor.has_second_factor(staff)

    def test_staff_with_one_give_the_code_for_the_admin(self, client, db):
        staff = UserFactory(username="desk", is_staff=True)
        app = give_app(staff)
        client.post(reverse("admin:login"), {"username": "desk", "password": PASSWORD})
        response = client.get(reverse("admin:index"))
        assert response.url == second_factor.step_url("verify", reverse("admin:index"))
        # The admin's own login page sends a half-logged-in user on to the code too.
        login_page = client.get(reverse("admin:login"))
        assert login_page.url == second_factor.step_url("verify", reverse("admin:index"))
        client.post(VERIFY, {"code": code_for(app)})
        assert client.get(reverse("admin:index")).status_code == 200

    def test_a_superuser_logging_in_is_asked_for_the_code(self, client, db):
        root = UserFactory(username="root", is_staff=True, is_superuser=True)
        give_app(root)
        response = log_in(client, "root")
        assert response.url == second_factor.step_url("verify", DASHBOARD)

    def test_a_clinic_can_ask_every_practitioner(self, client, practitioner, colleague):
        clinic = practitioner.clinic
        clinic.requires_second_factor = True
        clinic.save()
        response = log_in(client, "ana")
        assert response.url == second_factor.step_url("setup", DASHBOARD)
        assert client.get(DASHBOARD).status_code == 302
        page = client.get(SETUP)
        assert f"{clinic.name} asks every practitioner to use one" in page.content.decode()
        key = client.session["second_factor_setup_key"]
        response = client.post(SETUP, {"code": code_for(key), "next": DASHBOARD})
        assert response.status_code == 200 and len(response.context["codes"]) == 10
        assert client.get(DASHBOARD).status_code == 200

    def test_it_reaches_logins_already_open(self, client, practitioner):
        password_only_login(client, practitioner.user)
        assert client.get(DASHBOARD).status_code == 200
        practitioner.clinic.requires_second_factor = True
        practitioner.clinic.save()
        assert client.get(DASHBOARD).url == second_factor.step_url("setup", DASHBOARD)

    def test_another_clinic_asking_changes_nothing_here(self, client, practitioner, outsider):
        outsider.clinic.requires_second_factor = True
        outsider.clinic.save()
        assert log_in(client, "ana").url == DASHBOARD

    def test_an_app_removed_elsewhere_ends_the_question(self, client, practitioner):
        app = give_app(practitioner.user)
        log_in(client, "ana")
        app.delete()
        assert client.get(DASHBOARD).status_code == 200
