"""Whose sheet it is: only its maker edits and issues a draft; an issued sheet's new
version is made by its maker or a clinic manager, and is then that person's draft. A
click on a session's sheet button reopens the clicker's own draft, never a colleague's.
Everyone in the clinic still reads every sheet. (The permission matrix has every route's
statuses; these are the stories behind them.)"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from homecare import services
from homecare.models import HomeCareSheet
from tests.sessions.session_api_support import a_session

from .api_support import a_sheet, detail


@pytest.fixture
def draft(practitioner, client_record):
    return a_sheet(client_record, practitioner)


@pytest.fixture
def issued(practitioner, draft):
    return services.issue_sheet(sheet=draft, practitioner=practitioner)


def api_for(practitioner):
    api = APIClient()
    api.force_authenticate(practitioner.user)
    return api


def test_a_colleague_is_refused_before_the_body_is_read(colleague, draft):
    api = api_for(colleague)
    refusal = {"detail": "Only Ana Duarte, who made this draft sheet, can edit it."}
    bad_body = api.patch(detail(draft), {"paper": "papyrus"}, format="json")
    stale = api.patch(detail(draft), {"paper": "letter"}, format="json", HTTP_IF_MATCH='"99"')
    assert (bad_body.status_code, bad_body.json()) == (403, refusal)
    assert (stale.status_code, stale.json()) == (403, refusal)
    assert HomeCareSheet.objects.get(pk=draft.pk).paper == "a4"


def test_the_service_refuses_whoever_calls_it(colleague, clinic_manager, draft):
    for someone in (colleague, clinic_manager):
        with pytest.raises(PermissionDenied):
            services.update_sheet(
                sheet=draft, practitioner=someone, expected_revision=None, paper="letter"
            )
        with pytest.raises(PermissionDenied):
            services.issue_sheet(sheet=draft, practitioner=someone)
    draft.refresh_from_db()
    assert (draft.paper, draft.is_issued) == ("a4", False)


def test_a_colleague_makes_no_new_version_the_maker_and_a_manager_do(
    practitioner, colleague, clinic_manager, issued
):
    with pytest.raises(PermissionDenied, match="who made this sheet, or a clinic manager"):
        services.new_version(sheet=issued, practitioner=colleague)
    copy, made = services.new_version(sheet=issued, practitioner=clinic_manager)
    assert made and copy.created_by == clinic_manager
    # The manager's draft: theirs to edit and issue, not the first sheet's maker's.
    with pytest.raises(PermissionDenied):
        services.update_sheet(
            sheet=copy, practitioner=practitioner, expected_revision=None, paper="letter"
        )
    services.update_sheet(
        sheet=copy, practitioner=clinic_manager, expected_revision=None, paper="letter"
    )
    assert services.new_version(sheet=issued, practitioner=practitioner) == (copy, False)


def test_asking_again_for_a_version_someone_else_drafted_opens_its_page(
    client, practitioner, clinic_manager, issued
):
    copy, _ = services.new_version(sheet=issued, practitioner=clinic_manager)
    client.force_login(practitioner.user)
    response = client.post(reverse("homecare:sheet-new-version", args=[issued.pk]))
    assert response["Location"] == reverse("homecare:sheet-detail", args=[copy.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Version 2 of this sheet exists already" in page
    assert f"Only {clinic_manager.display_name}, who made this draft sheet" in page


def test_a_colleagues_click_on_the_session_makes_their_own_draft(
    client, practitioner, colleague, client_record
):
    session = a_session(client_record, practitioner)
    url = reverse("homecare:sheet-from-session", args=[session.pk])
    client.force_login(practitioner.user)
    owners = resolve(client.post(url)["Location"]).kwargs["pk"]
    client.force_login(colleague.user)
    page = client.get(reverse("sessions:session-detail", args=[session.pk])).content.decode()
    assert "Home-care sheet</button>" in page and "Open draft sheet" not in page
    theirs = resolve(client.post(url)["Location"]).kwargs["pk"]
    assert theirs != owners
    assert HomeCareSheet.objects.get(pk=theirs).created_by == colleague
    assert resolve(client.post(url)["Location"]).kwargs["pk"] == theirs  # reopened now


class TestTheSheetPage:
    def buttons(self, client, practitioner, sheet):
        client.force_login(practitioner.user)
        page = client.get(reverse("homecare:sheet-detail", args=[sheet.pk]))
        assert page.status_code == 200  # reading stays open to the clinic
        html = page.content.decode()
        offered = {
            "edit": reverse("homecare:sheet-update", args=[sheet.pk]) in html,
            "issue": reverse("homecare:sheet-issue", args=[sheet.pk]) in html,
            "new version": reverse("homecare:sheet-new-version", args=[sheet.pk]) in html,
        }
        return {name for name, shown in offered.items() if shown}, html

    def test_a_draft_offers_edit_and_issue_to_its_maker_only(
        self, client, practitioner, colleague, clinic_manager, draft
    ):
        assert self.buttons(client, practitioner, draft)[0] == {"edit", "issue"}
        for someone in (colleague, clinic_manager):
            offered, html = self.buttons(client, someone, draft)
            assert offered == set()
            assert "Only Ana Duarte, who made this draft sheet, can edit or issue it." in html

    def test_an_issued_sheet_offers_a_new_version_to_its_maker_and_managers(
        self, client, practitioner, colleague, clinic_manager, issued
    ):
        assert self.buttons(client, practitioner, issued)[0] == {"new version"}
        assert self.buttons(client, clinic_manager, issued)[0] == {"new version"}
        offered, html = self.buttons(client, colleague, issued)
        assert offered == set()
        assert "who made this sheet, or a clinic manager can make a new version" in html
