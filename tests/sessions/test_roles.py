"""Whose session it is: only the treating practitioner edits and signs their draft; a signed
session is amended by them or by a clinic manager, and the amendment says which. Every
practitioner of the clinic still reads it. (The permission matrix has every route's
statuses; these are the stories behind them.)"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from clinic.models import Practitioner
from sessions import services
from sessions.models import Amendment, TreatmentSession

from .page_support import amendment_form
from .session_api_support import a_session, detail


@pytest.fixture
def draft(practitioner, client_record):
    return a_session(client_record, practitioner, notes="First notes")


@pytest.fixture
def signed(practitioner, client_record):
    return a_session(client_record, practitioner, signed=True, notes="First notes")


def api_for(practitioner):
    api = APIClient()
    api.force_authenticate(practitioner.user)
    return api


def test_a_colleague_is_refused_before_the_body_is_read(colleague, draft):
    """A 403 for the colleague whatever they send: not a 400 about a bad body, nor a 412
    about a stale If-Match."""
    api = api_for(colleague)
    refusal = {"detail": "Only Ana Duarte, who recorded this session, can edit it."}
    bad_body = api.patch(detail(draft), {"pain_before": 99}, format="json")
    stale = api.patch(detail(draft), {"notes": "Mine"}, format="json", HTTP_IF_MATCH='"999"')
    assert (bad_body.status_code, bad_body.json()) == (403, refusal)
    assert (stale.status_code, stale.json()) == (403, refusal)
    amend = api.post(detail(draft) + "amend/", {}, format="json")  # no reason either
    assert amend.status_code == 403
    assert TreatmentSession.objects.get(pk=draft.pk).notes == "First notes"


def test_the_service_refuses_whoever_calls_it(colleague, clinic_manager, draft, signed):
    for someone in (colleague, clinic_manager):
        with pytest.raises(PermissionDenied):
            services.update_session(
                session=draft, practitioner=someone, expected_revision=None, notes="x"
            )
        with pytest.raises(PermissionDenied):
            services.sign_session(session=draft, practitioner=someone)
    with pytest.raises(PermissionDenied):
        services.amend_session(
            session=signed, practitioner=colleague, reason="Typo", changes={"notes": "x"}
        )
    assert not TreatmentSession.objects.get(pk=draft.pk).is_signed
    assert not Amendment.objects.exists()


def test_a_manager_amends_anothers_session_and_it_says_so(client, clinic_manager, signed):
    client.force_login(clinic_manager.user)
    url = reverse("sessions:session-amend", args=[signed.pk])
    form = amendment_form(signed, reason="Client called: pain was 4", pain_after="4")
    assert client.post(url, form).status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.amended_by, amendment.amended_as) == (clinic_manager, "manager")
    assert amendment.reason == "Client called: pain was 4"
    page = client.get(reverse("sessions:session-detail", args=[signed.pk])).content.decode()
    assert f"by {clinic_manager.display_name} as clinic manager: Client called" in page


def test_a_manager_amending_their_own_session_is_its_treating_practitioner(
    clinic_manager, client_record
):
    own = a_session(client_record, clinic_manager, signed=True, notes="Mine")
    amendment = services.amend_session(
        session=own, practitioner=clinic_manager, reason="Typo", changes={"notes": "Fixed"}
    )
    assert amendment.amended_as == Amendment.AmendedAs.TREATING


def test_another_clinics_manager_gets_404(outsider, signed):
    Practitioner.objects.filter(pk=outsider.pk).update(role=Practitioner.Role.MANAGER)
    outsider.refresh_from_db()
    response = api_for(outsider).post(
        detail(signed) + "amend/", {"reason": "Typo", "notes": "x"}, format="json"
    )
    assert response.status_code == 404
    # Even handed the session, the service refuses a manager of another clinic.
    with pytest.raises(PermissionDenied):
        services.amend_session(
            session=signed, practitioner=outsider, reason="Typo", changes={"notes": "x"}
        )


def test_a_deactivated_manager_amends_nothing(client, clinic_manager, signed):
    Practitioner.objects.filter(pk=clinic_manager.pk).update(is_active=False)
    client.force_login(clinic_manager.user)
    url = reverse("sessions:session-amend", args=[signed.pk])
    response = client.post(url, amendment_form(signed, reason="Typo", notes="x"))
    assert response.status_code == 403 and not Amendment.objects.exists()


class TestTheSessionPage:
    def buttons(self, client, practitioner, session):
        client.force_login(practitioner.user)
        page = client.get(reverse("sessions:session-detail", args=[session.pk]))
        assert page.status_code == 200  # reading stays open to the clinic
        html = page.content.decode()
        offered = {
            "edit": reverse("sessions:session-update", args=[session.pk]) in html,
            "sign": reverse("sessions:session-sign", args=[session.pk]) in html,
            "amend": reverse("sessions:session-amend", args=[session.pk]) in html,
        }
        return {name for name, shown in offered.items() if shown}, html

    def test_the_treating_practitioner_is_offered_edit_and_sign(self, client, practitioner, draft):
        assert self.buttons(client, practitioner, draft)[0] == {"edit", "sign"}

    def test_a_colleague_or_manager_is_told_whose_draft_it_is(
        self, client, colleague, clinic_manager, draft
    ):
        for someone in (colleague, clinic_manager):
            offered, html = self.buttons(client, someone, draft)
            assert offered == set()
            assert "Only Ana Duarte, who recorded this session, can edit or sign it." in html

    def test_a_signed_session_offers_amend_to_its_practitioner_and_managers(
        self, client, practitioner, colleague, clinic_manager, signed
    ):
        assert self.buttons(client, practitioner, signed)[0] == {"amend"}
        assert self.buttons(client, clinic_manager, signed)[0] == {"amend"}
        offered, html = self.buttons(client, colleague, signed)
        assert offered == set()
        assert "Ana Duarte, who recorded this session, or a clinic manager can amend" in html


def test_old_amendments_by_a_colleague_are_marked_so(practitioner, colleague, client_record):
    """Migration 0006's rule, on rows as it finds them."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("sessions.migrations.0006_amendment_role")
    signed = a_session(client_record, practitioner, signed=True)
    for who in (practitioner, colleague):
        Amendment.objects.create(
            session=signed, amended_by=who, amended_as="treating", reason="r", changes={}
        )
    migration.mark_existing(apps, None)
    marked = dict(Amendment.objects.values_list("amended_by", "amended_as"))
    assert marked == {practitioner.pk: "treating", colleague.pk: "colleague"}
