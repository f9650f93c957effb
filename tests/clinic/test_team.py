"""The clinic manager's team pages: the clinic's practitioners listed; one added (they set
their own password from a mailed link); a role changed; deactivated and reactivated,
never deleted; the clinic's second-factor setting. Every change is made over the
revision it was opened at and kept in the history; the clinic always keeps an active
manager. (Who gets which status is in the permission matrix, routes_roles.py.)"""

import re
import smtplib

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic import team
from clinic.models import Clinic, Practitioner
from tests.factories import PractitionerFactory
from tests.otp import pass_second_factor

TEAM = reverse("clinic:team")
ADD = reverse("clinic:team-add")
NEW = {"display_name": "Eve Ng", "username": "eve", "email": "eve@example.org"}
NEW |= {"role": "practitioner", "qualification": "Diploma", "registration_number": "AP-9"}


@pytest.fixture
def as_manager(client, clinic_manager):
    client.force_login(clinic_manager.user)
    return client


def member_url(member):
    return reverse("clinic:team-member", args=[member.pk])


def member_form(member, **overrides):
    form = {"role": member.role, "revision": str(member.revision)}
    if member.is_active:
        form["is_active"] = "on"
    return {**form, **overrides}


def fresh(practitioner):
    return Practitioner.objects.select_related("user").get(pk=practitioner.pk)


class TestTheList:
    def test_it_lists_the_clinics_practitioners_with_role_state_and_second_factor(
        self, as_manager, practitioner, colleague, outsider
    ):
        TOTPDevice.objects.create(user=colleague.user, name="Phone", confirmed=True)
        TOTPDevice.objects.create(user=practitioner.user, name="Phone", confirmed=False)
        Practitioner.objects.filter(pk=colleague.pk).update(is_active=False)
        page = as_manager.get(TEAM).content.decode()

        def row(username):
            match = re.search(rf'data-testid="member-{username}".*?</tr>', page, re.S)
            return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split()) if match else None

        assert "Ana Duarte ana Practitioner Active Not set up Never" in row("ana")
        assert "ben Practitioner Deactivated Set up Never" in row("ben")
        assert "(you) dora Clinic manager Active Not set up" in row("dora")
        assert row("chen") is None  # another clinic's

    @pytest.mark.parametrize("size", [1, 30])
    def test_its_query_count_is_the_same_for_1_and_30(
        self, as_manager, clinic_manager, django_assert_num_queries, size
    ):
        for _ in range(size):
            PractitionerFactory(clinic=clinic_manager.clinic)
        # session, user, practitioner, clinic (timezone), the team with their accounts,
        # their authenticator apps.
        with django_assert_num_queries(6):
            response = as_manager.get(TEAM)
        assert response.content.decode().count('data-testid="member-') == size + 2


class TestAdding:
    def test_a_new_practitioner_sets_their_own_password_from_the_mailed_link(
        self, client, as_manager, clinic_manager
    ):
        response = as_manager.post(ADD, NEW, follow=True)
        assert "Eve Ng was added. A link to set their password was mailed" in (
            response.content.decode()
        )
        eve = Practitioner.objects.select_related("user").get(user__username="eve")
        assert (eve.clinic, eve.role, eve.qualification) == (
            clinic_manager.clinic,
            "practitioner",
            "Diploma",
        )
        assert eve.history.get().history_user == clinic_manager.user
        [welcome] = mail.outbox
        assert welcome.to == ["eve@example.org"]
        assert welcome.subject == f"Your account at {clinic_manager.clinic.name}"
        link = re.search(r"http://testserver(/accounts/reset/\S+)", welcome.body).group(1)

        client.logout()
        form_page = client.get(link, follow=True)  # Django swaps the token for a session
        assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
        chosen = {"new_password1": "a-Fresh-pass-7788", "new_password2": "a-Fresh-pass-7788"}
        client.post(form_page.redirect_chain[-1][0], chosen)
        assert get_user_model().objects.get(username="eve").check_password("a-Fresh-pass-7788")

    def test_nobody_knows_the_first_password(self, as_manager):
        as_manager.post(ADD, NEW)
        eve = get_user_model().objects.get(username="eve")
        assert eve.has_usable_password()  # so "Forgot your password?" works for them
        assert not any(eve.check_password(value) for value in ("", "eve", NEW["email"]))

    def test_a_username_taken_in_other_capitals_is_refused(self, as_manager, practitioner):
        response = as_manager.post(ADD, {**NEW, "username": "ANA"})
        assert response.status_code == 200
        assert "There is already an account with this username" in response.content.decode()
        assert not Practitioner.objects.filter(display_name="Eve Ng").exists()
        assert mail.outbox == []

    @pytest.mark.parametrize(
        "change,field",
        [
            ({"email": ""}, "email"),
            ({"username": "eve smith"}, "username"),
            ({"role": "x"}, "role"),
        ],
    )
    def test_bad_input_is_a_field_error_and_saves_nothing(self, as_manager, change, field):
        response = as_manager.post(ADD, {**NEW, **change})
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not get_user_model().objects.filter(email="eve@example.org").exists()

    def test_when_the_mail_cannot_go_they_are_added_and_the_manager_told(
        self, as_manager, monkeypatch
    ):
        def refuse(*args, **kwargs):
            raise smtplib.SMTPServerDisconnected("down")

        monkeypatch.setattr(team, "send_mail", refuse)
        page = as_manager.post(ADD, NEW, follow=True).content.decode()
        assert "the mail to eve@example.org could not be sent" in page
        assert Practitioner.objects.filter(user__username="eve").exists()


class TestChangingAMember:
    def test_a_role_is_changed_and_the_history_says_who(
        self, as_manager, practitioner, clinic_manager
    ):
        response = as_manager.post(
            member_url(practitioner), member_form(practitioner, role="manager")
        )
        assert response["Location"] == TEAM
        assert fresh(practitioner).is_manager
        assert practitioner.history.first().history_user == clinic_manager.user

    def test_a_deactivated_practitioner_is_shut_out_and_let_back_in(
        self, as_manager, practitioner, client_record
    ):
        theirs = Client()
        theirs.force_login(practitioner.user)
        detail = reverse("clinic:client-detail", args=[client_record.pk])
        as_manager.post(member_url(practitioner), member_form(practitioner, is_active=""))
        assert not fresh(practitioner).is_active and fresh(practitioner).user.is_active
        assert theirs.get(detail).status_code == 403  # at once, in the login they have
        assert theirs.get("/api/v1/clients/").status_code == 403

        as_manager.post(member_url(practitioner), member_form(fresh(practitioner), is_active="on"))
        assert theirs.get(detail).status_code == 200
        assert fresh(practitioner).history.count() == 3  # made, deactivated, reactivated

    def test_the_last_active_manager_cannot_step_down_or_be_deactivated(
        self, as_manager, clinic_manager
    ):
        for change in ({"role": "practitioner"}, {"is_active": ""}):
            response = as_manager.post(
                member_url(clinic_manager), member_form(clinic_manager, **change)
            )
            assert response.status_code == 200
            assert "is the clinic&#x27;s last active manager" in response.content.decode()
            assert fresh(clinic_manager).is_manager and fresh(clinic_manager).is_active

    def test_with_a_second_manager_one_may_step_down(
        self, as_manager, practitioner, clinic_manager
    ):
        Practitioner.objects.filter(pk=practitioner.pk).update(role="manager")
        response = as_manager.post(
            member_url(clinic_manager), member_form(clinic_manager, role="practitioner")
        )
        assert response["Location"] == TEAM and not fresh(clinic_manager).is_manager
        # No longer a manager: the team pages are closed to them now.
        assert as_manager.get(TEAM).status_code == 403

    def test_a_stale_change_is_refused_and_shows_the_other(self, as_manager, practitioner):
        opened = member_form(practitioner)
        Practitioner.objects.get(pk=practitioner.pk).save()  # someone else saved meanwhile
        Practitioner.objects.filter(pk=practitioner.pk).update(role="manager")
        response = as_manager.post(member_url(practitioner), {**opened, "is_active": ""})
        page = response.content.decode()
        assert response.status_code == 200
        assert "after you opened it. Nothing was saved" in page
        assert "Saved now by the other change: Clinic manager" in page
        assert fresh(practitioner).is_active

    def test_another_clinics_practitioner_is_not_found(self, as_manager, outsider):
        assert as_manager.get(member_url(outsider)).status_code == 404
        response = as_manager.post(member_url(outsider), member_form(outsider, is_active=""))
        assert response.status_code == 404 and fresh(outsider).is_active


class TestTheSecondFactorSetting:
    def form(self, clinic, required=True):
        return {
            "revision": str(clinic.revision),
            **({"requires_second_factor": "on"} if required else {}),
        }

    def test_the_manager_turns_it_on_and_off(self, as_manager, clinic_manager):
        url = reverse("clinic:team-second-factor")
        clinic = clinic_manager.clinic
        response = as_manager.post(url, self.form(clinic), follow=True)
        assert "Every practitioner of the clinic now needs a second factor" in (
            response.content.decode()
        )
        clinic.refresh_from_db()
        assert clinic.requires_second_factor
        assert clinic.history.first().history_user == clinic_manager.user
        # The manager too: their next page is the second factor's setup.
        assert response.redirect_chain[-1][0].startswith(reverse("clinic:second-factor-setup"))
        pass_second_factor(as_manager, clinic_manager.user)
        as_manager.post(url, self.form(clinic, required=False))
        assert not Clinic.objects.get(pk=clinic.pk).requires_second_factor

    def test_a_stale_setting_is_refused(self, as_manager, clinic_manager):
        clinic = clinic_manager.clinic
        opened = self.form(clinic)
        Clinic.objects.get(pk=clinic.pk).save()
        url = reverse("clinic:team-second-factor")
        page = as_manager.post(url, opened, follow=True).content.decode()
        assert "Nothing was saved: look at it again" in page
        assert not Clinic.objects.get(pk=clinic.pk).requires_second_factor


def test_the_rules_hold_whoever_calls_them(practitioner, colleague, outsider, clinic_manager):
    for someone in (colleague, outsider):
        with pytest.raises(PermissionDenied):
            team.change_member(
                by=someone,
                member=practitioner,
                expected_revision=None,
                role="manager",
                is_active=True,
            )
    Practitioner.objects.filter(pk=outsider.pk).update(role="manager")
    with pytest.raises(PermissionDenied):  # a manager, of another clinic
        team.change_member(
            by=fresh(outsider),
            member=practitioner,
            expected_revision=None,
            role="manager",
            is_active=True,
        )
    with pytest.raises(PermissionDenied):
        team.add_practitioner(by=colleague, username="eve", email="e@x.org", display_name="Eve")
    assert not fresh(practitioner).is_manager


def test_the_menu_offers_the_team_page_to_managers_only(client, practitioner, clinic_manager):
    for someone, offered in ((practitioner, False), (clinic_manager, True)):
        client.force_login(someone.user)
        assert (f'href="{TEAM}"' in client.get("/").content.decode()) == offered
