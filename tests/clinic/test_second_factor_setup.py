"""Setting up an authenticator app, new recovery codes, removing it (the account page's
second-factor section), and the admin removing one for a user who lost theirs."""

import re
from base64 import b32encode

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic import second_factor
from clinic.access_log import AccessEvent

from ..conftest import PASSWORD
from ..factories import UserFactory
from ..otp import RECOVERY_CODES, code_for, give_app, wrong_code

SETUP = reverse("clinic:second-factor-setup")
CODES = reverse("clinic:second-factor-recovery-codes")
REMOVE = reverse("clinic:second-factor-remove")
VERIFY = reverse("clinic:second-factor-verify")


def setup_key(client):
    return client.session["second_factor_setup_key"]


def last_action(user):
    return AccessEvent.objects.filter(user=user).latest("pk")


def unused_codes(user):
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


class TestSetup:
    def test_it_shows_a_qr_code_and_the_key_as_text(self, as_practitioner, practitioner):
        response = as_practitioner.get(SETUP)
        assert response.status_code == 200
        page = response.content.decode()
        key = setup_key(as_practitioner)
        secret = b32encode(bytes.fromhex(key)).decode()
        assert " ".join(re.findall(".{1,4}", secret)) in page
        svg = re.search(r"<svg.*?</svg>", page, re.S).group()
        assert "QR code for your authenticator app" in svg
        assert "style" not in svg and "<script" not in svg  # nothing a strict CSP refuses
        url = second_factor.config_url(practitioner.user, key)
        assert url.startswith("otpauth://totp/Acupressure%20clinic%3Aana?secret=" + secret)
        assert not TOTPDevice.objects.exists()  # nothing is saved before it is confirmed
        assert as_practitioner.get(SETUP).context["secret"] == response.context["secret"]

    def test_a_wrong_code_sets_up_nothing(self, as_practitioner, practitioner):
        as_practitioner.get(SETUP)
        response = as_practitioner.post(SETUP, {"code": "000000"})
        assert response.status_code == 200
        assert "That code does not match" in response.content.decode()
        assert not TOTPDevice.objects.exists()

    def test_the_right_code_sets_it_up_and_shows_ten_codes_once(
        self, as_practitioner, practitioner
    ):
        as_practitioner.get(SETUP)
        key = setup_key(as_practitioner)
        response = as_practitioner.post(SETUP, {"code": code_for(key), "next": "/clients/"})
        assert response.status_code == 200
        codes = response.context["codes"]
        assert len(codes) == len(set(codes)) == 10
        assert all(re.fullmatch(r"[a-z2-7]{5}-[a-z2-7]{5}", code) for code in codes)
        assert unused_codes(practitioner.user) == {code.replace("-", "") for code in codes}
        assert 'href="/clients/"' in response.content.decode()
        app = second_factor.authenticator(practitioner.user)
        assert app.key == key and app.confirmed
        assert as_practitioner.session[DEVICE_ID_SESSION_KEY] == app.persistent_id
        assert "second_factor_setup_key" not in as_practitioner.session
        event = last_action(practitioner.user)
        assert event.action == AccessEvent.Action.SECOND_FACTOR_ADDED
        assert event.detail == "Authenticator app"
        # The code that confirmed it does not log in a second time.
        as_practitioner.post(reverse("logout"))
        as_practitioner.post(reverse("login"), {"username": "ana", "password": PASSWORD})
        assert as_practitioner.post(VERIFY, {"code": code_for(key)}).status_code == 200

    def test_replacing_the_app_needs_the_password(self, as_practitioner, practitioner):
        old = give_app(practitioner.user)
        as_practitioner.get(SETUP)
        key = setup_key(as_practitioner)
        response = as_practitioner.post(SETUP, {"code": code_for(key), "password": "wrong"})
        assert response.status_code == 200 and "password" in response.context["form"].errors
        assert second_factor.authenticator(practitioner.user) == old
        response = as_practitioner.post(SETUP, {"code": code_for(key), "password": PASSWORD})
        assert response.status_code == 200 and len(response.context["codes"]) == 10
        assert list(TOTPDevice.objects.filter(user=practitioner.user)) == [
            second_factor.authenticator(practitioner.user)
        ]
        assert second_factor.authenticator(practitioner.user).key == key
        assert unused_codes(practitioner.user).isdisjoint(RECOVERY_CODES)


class TestNewRecoveryCodes:
    @pytest.fixture
    def app(self, practitioner):
        return give_app(practitioner.user)

    def test_they_need_the_password_or_a_code(self, as_practitioner, practitioner, app):
        assert as_practitioner.get(CODES).status_code == 200
        response = as_practitioner.post(CODES, {"password": "wrong"})
        assert response.status_code == 200
        assert "That password is not right." in response.content.decode()
        response = as_practitioner.post(CODES, {"code": wrong_code(app)})
        assert response.status_code == 200 and second_factor.WRONG_CODE in response.content.decode()
        response = as_practitioner.post(CODES, {})
        assert "Enter your password or a code." in response.content.decode()
        assert unused_codes(practitioner.user) == set(RECOVERY_CODES)

    @pytest.mark.parametrize("confirm", ["password", "code"])
    def test_the_old_codes_stop_working(self, as_practitioner, practitioner, app, confirm):
        body = {"password": PASSWORD} if confirm == "password" else {"code": code_for(app)}
        response = as_practitioner.post(CODES, body)
        assert response.status_code == 200
        new = {code.replace("-", "") for code in response.context["codes"]}
        assert unused_codes(practitioner.user) == new and new.isdisjoint(RECOVERY_CODES)
        assert not second_factor.check_code(practitioner.user, RECOVERY_CODES[1]).passed

    def test_without_an_app_it_is_set_up_first(self, as_practitioner):
        assert as_practitioner.get(CODES).url == SETUP


class TestRemove:
    def test_it_needs_a_current_code(self, as_practitioner, practitioner, settings):
        settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the right code straight after a wrong one
        app = give_app(practitioner.user)
        response = as_practitioner.post(REMOVE, {"code": wrong_code(app)})
        assert response.status_code == 200
        assert second_factor.has_second_factor(practitioner.user)
        response = as_practitioner.post(REMOVE, {"code": code_for(app)})
        assert response.status_code == 302 and response.url == reverse("clinic:account")
        assert not second_factor.has_second_factor(practitioner.user)
        assert not unused_codes(practitioner.user)
        assert last_action(practitioner.user).action == AccessEvent.Action.SECOND_FACTOR_REMOVED
        as_practitioner.post(reverse("logout"))
        response = as_practitioner.post(reverse("login"), {"username": "ana", "password": PASSWORD})
        assert response.url == reverse("clinic:dashboard")

    def test_it_is_refused_where_required(self, client, practitioner):
        practitioner.clinic.requires_second_factor = True
        practitioner.clinic.save()
        app = give_app(practitioner.user)
        client.force_login(practitioner.user)
        page = client.get(REMOVE)
        assert "to use one), so it cannot be removed" in page.content.decode()
        assert client.post(REMOVE, {"code": code_for(app)}).status_code == 403
        assert second_factor.has_second_factor(practitioner.user)

    def test_staff_cannot_remove_theirs(self, client, db):
        staff = UserFactory(username="desk", is_staff=True)
        client.force_login(staff)
        app = second_factor.authenticator(staff)
        assert client.post(REMOVE, {"code": code_for(app)}).status_code == 403
        assert second_factor.has_second_factor(staff)


class TestTheAccountPage:
    def test_it_shows_the_status_and_what_can_be_done(self, as_practitioner, practitioner):
        page = as_practitioner.get(reverse("clinic:account")).content.decode()
        assert "Off: you log in with your password only." in page
        assert f'href="{SETUP}"' in page and REMOVE not in page
        give_app(practitioner.user)
        page = as_practitioner.get(reverse("clinic:account")).content.decode()
        assert "On: you log in with your password and a code" in page
        assert "2 of 10 recovery codes left" in page
        assert f'href="{CODES}"' in page and f'href="{REMOVE}"' in page

    def test_where_required_it_says_why_and_offers_no_removal(self, client, db):
        staff = UserFactory(username="desk", is_staff=True)
        client.force_login(staff)
        page = client.get(reverse("clinic:account")).content.decode()
        assert "It cannot be removed: administrator accounts always have one." in page
        assert REMOVE not in page


class TestTheAdmin:
    def test_a_superuser_removes_a_lost_app(self, client, practitioner):
        practitioner.clinic.requires_second_factor = True
        practitioner.clinic.save()
        app = give_app(practitioner.user)
        root = UserFactory(username="root", is_staff=True, is_superuser=True)
        client.force_login(root)
        url = reverse("admin:otp_totp_totpdevice_delete", args=[app.pk])
        assert client.post(url, {"post": "yes"}).status_code == 302
        assert not second_factor.has_second_factor(practitioner.user)
        assert not unused_codes(practitioner.user)
        event = last_action(practitioner.user)
        assert (event.action, event.detail) == (
            AccessEvent.Action.SECOND_FACTOR_REMOVED,
            "by root, an administrator",
        )

    def test_it_shows_neither_the_key_nor_the_codes(self, client, practitioner):
        app = give_app(practitioner.user)
        client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
        page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[app.pk]))
        assert page.status_code == 200
        content = page.content.decode()
        assert app.key not in content and RECOVERY_CODES[0] not in content
        assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
