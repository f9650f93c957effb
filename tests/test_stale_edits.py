"""Two people editing the same record: the later save made over an older revision is
refused, says who changed it and when, and shows what is saved now; nothing is lost."""

from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from clinic.models import Client, Clinic, Practitioner
from homecare.models import HomeCareSheet
from sessions.models import TreatmentSession
from tests.clinic.test_client_pages import valid_form
from tests.homecare.api_support import a_sheet
from tests.sessions.session_api_support import a_session

from .factories import UserFactory


def api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


class TestClientPage:
    def test_a_stale_form_is_refused_and_shows_the_other_change(
        self, client, practitioner, colleague, client_record
    ):
        url = reverse("clinic:client-update", args=[client_record.pk])
        opened_at = client_record.revision
        client.force_login(colleague.user)
        first = client.post(url, valid_form(health_flags=["anticoagulant"], revision=opened_at))
        assert first.status_code == 302

        # Ana opened the form before Ben saved; her form has no flag ticked.
        client.force_login(practitioner.user)
        stale = client.post(
            url, valid_form(health_flags=[], phone="01632 960111", revision=opened_at)
        )
        assert stale.status_code == 200
        page = stale.content.decode()
        assert f"{escape(colleague.display_name)} changed this client at" in page
        assert "after you opened it. Nothing was saved" in page
        assert "Saved now by the other change: Takes blood thinners" in page
        assert "Saved now by the other change: 07700 900123" in page
        assert stale.context["form"]["phone"].value() == "01632 960111"  # kept as typed
        client_record.refresh_from_db()
        assert client_record.health_flags == ["anticoagulant"]
        assert client_record.phone == "07700 900123"  # Ben's form's phone, not Ana's

        # Saving again after merging goes through: the form now carries the new revision.
        merged = client.post(
            url,
            valid_form(
                health_flags=["anticoagulant"],
                phone="01632 960111",
                revision=stale.context["form"]["revision"].value(),
            ),
        )
        assert merged.status_code == 302
        client_record.refresh_from_db()
        assert (client_record.health_flags, client_record.phone) == (
            ["anticoagulant"],
            "01632 960111",
        )


class TestClientApi:
    def test_detail_answers_carry_the_revision_as_etag(self, practitioner, client_record):
        response = api_for(practitioner.user).get(f"/api/v1/clients/{client_record.pk}/")
        assert response["ETag"] == f'"{client_record.revision}"'
        assert response.json()["revision"] == client_record.revision

    def test_a_stale_if_match_answers_412_and_changes_nothing(
        self, practitioner, colleague, client_record
    ):
        url = f"/api/v1/clients/{client_record.pk}/"
        email_before = client_record.email
        etag = api_for(practitioner.user).get(url)["ETag"]
        assert (
            api_for(colleague.user).patch(url, {"phone": "1"}, HTTP_IF_MATCH=etag).status_code
            == 200
        )
        stale = api_for(practitioner.user).patch(url, {"email": "a@b.example"}, HTTP_IF_MATCH=etag)
        assert stale.status_code == 412
        body = stale.json()
        assert body["current_revision"] == client_record.revision + 1
        assert "changed this client" in body["detail"]
        assert stale["ETag"] == f'"{client_record.revision + 1}"'
        client_record.refresh_from_db()
        assert (client_record.phone, client_record.email) == ("1", email_before)

    def test_patches_of_different_fields_both_stay_without_if_match(
        self, practitioner, colleague, client_record
    ):
        url = f"/api/v1/clients/{client_record.pk}/"
        assert api_for(practitioner.user).patch(url, {"phone": "111"}).status_code == 200
        assert api_for(colleague.user).patch(url, {"email": "b@c.example"}).status_code == 200
        client_record.refresh_from_db()
        assert (client_record.phone, client_record.email) == ("111", "b@c.example")

    def test_archive_with_a_stale_if_match_is_refused(self, practitioner, client_record):
        api = api_for(practitioner.user)
        url = f"/api/v1/clients/{client_record.pk}/"
        etag = api.get(url)["ETag"]
        api.patch(url, {"phone": "2"})
        assert api.post(url + "archive/", HTTP_IF_MATCH=etag).status_code == 412
        client_record.refresh_from_db()
        assert client_record.archived_at is None

    def test_a_malformed_if_match_is_a_json_400(self, practitioner, client_record):
        url = f"/api/v1/clients/{client_record.pk}/"
        response = api_for(practitioner.user).patch(url, {"phone": "3"}, HTTP_IF_MATCH="yesterday")
        assert response.status_code == 400
        assert "If-Match" in response.json()


class TestSessions:
    def test_two_stale_page_edits_of_a_draft(self, client, practitioner, catalogue, client_record):
        from tests.sessions.page_support import session_form

        client.force_login(practitioner.user)
        client.post(reverse("sessions:session-create", args=[client_record.pk]), session_form())
        session = TreatmentSession.objects.get()
        url = reverse("sessions:session-update", args=[session.pk])
        opened_at = session.revision
        client.force_login(practitioner.user)  # in another tab
        assert (
            client.post(url, session_form(notes="Ben's notes", revision=opened_at)).status_code
            == 302
        )
        client.force_login(practitioner.user)
        stale = client.post(url, session_form(notes="Ana's notes", revision=opened_at))
        assert stale.status_code == 200
        page = stale.content.decode()
        assert "after you opened it. Nothing was saved" in page
        assert "Saved now by the other change: Ben&#x27;s notes" in page
        assert "Points saved now: LI4 (left), GB20 (both)" in page
        session.refresh_from_db()
        assert session.notes == "Ben's notes"

    def test_api_patches_of_different_fields_both_stay(self, practitioner, client_record):
        session = a_session(client_record, practitioner)
        url = f"/api/v1/sessions/{session.pk}/"
        assert (
            api_for(practitioner.user).patch(url, {"notes": "N"}, format="json").status_code == 200
        )
        assert (
            api_for(practitioner.user).patch(url, {"outcome": "worse"}, format="json").status_code
            == 200
        )
        session.refresh_from_db()
        assert (session.notes, session.outcome) == ("N", "worse")

    def test_a_stale_api_edit_answers_412(self, practitioner, client_record):
        session = a_session(client_record, practitioner)
        url = f"/api/v1/sessions/{session.pk}/"
        etag = api_for(practitioner.user).get(url)["ETag"]
        api_for(practitioner.user).patch(url, {"notes": "Ben"}, format="json")
        stale = api_for(practitioner.user).patch(
            url, {"notes": "Ana"}, format="json", HTTP_IF_MATCH=etag
        )
        assert stale.status_code == 412
        assert TreatmentSession.objects.get(pk=session.pk).notes == "Ben"

    def test_signing_a_revision_other_than_the_one_reviewed_is_refused(
        self, practitioner, client_record
    ):
        session = a_session(client_record, practitioner)
        url = f"/api/v1/sessions/{session.pk}/"
        etag = api_for(practitioner.user).get(url)["ETag"]
        api_for(practitioner.user).patch(url, {"pain_after": 9}, format="json")
        assert api_for(practitioner.user).post(url + "sign/", HTTP_IF_MATCH=etag).status_code == 412
        assert not TreatmentSession.objects.get(pk=session.pk).is_signed


class TestSheets:
    def test_a_stale_api_edit_answers_412(self, practitioner, client_record):
        sheet = a_sheet(client_record, practitioner)
        url = f"/api/v1/homecare-sheets/{sheet.pk}/"
        etag = api_for(practitioner.user).get(url)["ETag"]
        assert (
            api_for(practitioner.user).patch(url, {"paper": "letter"}, format="json").status_code
            == 200
        )
        stale = api_for(practitioner.user).patch(
            url, {"large_print": True}, format="json", HTTP_IF_MATCH=etag
        )
        assert stale.status_code == 412
        sheet = HomeCareSheet.objects.get(pk=sheet.pk)
        assert (sheet.paper, sheet.large_print) == ("letter", False)

    def test_a_stale_page_edit_is_refused(self, client, practitioner, client_record):
        from tests.permissions.checks import FORMSET

        sheet = a_sheet(client_record, practitioner)
        item = sheet.items.get()
        url = reverse("homecare:sheet-update", args=[sheet.pk])

        def form(paper, revision):
            row = {"point": item.point.code, "side": "both", "times_per_day": "2", "ORDER": "1"}
            return {
                "general_advice": "Rest",
                "paper": paper,
                "revision": revision,
                **{f"items-{k}": v for k, v in FORMSET.items()},
                **{f"items-0-{k}": v for k, v in row.items()},
            }

        client.force_login(practitioner.user)  # in another tab
        assert client.post(url, form("letter", sheet.revision)).status_code == 302
        client.force_login(practitioner.user)
        stale = client.post(url, form("a4", sheet.revision))
        assert stale.status_code == 200
        assert "Saved now by the other change: US Letter" in stale.content.decode()
        assert HomeCareSheet.objects.get(pk=sheet.pk).paper == "letter"


class TestAdmin:
    def test_a_stale_clinic_edit_is_refused(self, client, practitioner):
        clinic = practitioner.clinic
        admin = UserFactory(username="root", is_staff=True, is_superuser=True)
        client.force_login(admin)
        url = reverse("admin:clinic_clinic_change", args=[clinic.pk])
        opened_at = clinic.revision
        Clinic.objects.get(pk=clinic.pk).save()  # someone else saves meanwhile
        data = {
            "name": "Renamed",
            "address": "",
            "phone": "",
            "email": "",
            "time_zone": "",
            "revision_seen": opened_at,
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "after you opened it. Nothing was saved" in response.content.decode()
        assert Clinic.objects.get(pk=clinic.pk).name == clinic.name
        data["revision_seen"] = opened_at + 1
        assert client.post(url, data).status_code == 302
        assert Clinic.objects.get(pk=clinic.pk).name == "Renamed"

    def test_a_stale_practitioner_profile_edit_is_refused(self, client, practitioner):
        admin = UserFactory(username="root", is_staff=True, is_superuser=True)
        client.force_login(admin)
        url = reverse("admin:clinic_practitioner_change", args=[practitioner.pk])
        opened_at = practitioner.revision
        Practitioner.objects.filter(pk=practitioner.pk).get().save()
        data = {
            "user": practitioner.user.pk,
            "clinic": practitioner.clinic.pk,
            "display_name": "Changed",
            "qualification": "",
            "registration_number": "",
            "is_active": "on",
            "revision_seen": opened_at,
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "after you opened it" in response.content.decode()
        assert (
            Practitioner.objects.get(pk=practitioner.pk).display_name == practitioner.display_name
        )


def test_every_save_raises_the_revision(client_record):
    before = client_record.revision
    client_record.archive()
    assert Client.objects.get(pk=client_record.pk).revision == before + 1


def test_the_other_value_is_shown_escaped(client, practitioner, colleague, client_record):
    url = reverse("clinic:client-update", args=[client_record.pk])
    opened_at = client_record.revision
    client.force_login(colleague.user)
    client.post(url, valid_form(health_history="<script>alert(1)</script>", revision=opened_at))
    client.force_login(practitioner.user)
    page = client.post(url, valid_form(revision=opened_at)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_signing_on_the_page_signs_only_the_revision_shown(client, practitioner, client_record):
    session = a_session(client_record, practitioner)
    shown = session.revision
    TreatmentSession.objects.get(pk=session.pk).save()  # changed after the page was shown
    client.force_login(practitioner.user)
    url = reverse("sessions:session-sign", args=[session.pk])
    page = client.post(url, {"revision": shown}, follow=True).content.decode()
    assert "after you opened it. Nothing was signed: look at it again" in page
    assert not TreatmentSession.objects.get(pk=session.pk).is_signed
    client.post(url, {"revision": shown + 1})
    assert TreatmentSession.objects.get(pk=session.pk).is_signed


def test_a_stale_amendment_is_refused_and_keeps_the_other_correction(
    client, practitioner, clinic_manager, client_record
):
    from tests.sessions.page_support import amendment_form

    session = a_session(client_record, practitioner, signed=True, notes="orig")
    url = reverse("sessions:session-amend", args=[session.pk])
    client.force_login(practitioner.user)
    assert (
        client.post(url, amendment_form(session, reason="typo", notes="A's fix")).status_code == 302
    )
    client.force_login(clinic_manager.user)
    stale = client.post(url, amendment_form(session, reason="mine", follow_up="B's follow-up"))
    assert stale.status_code == 200
    assert "after you opened it. Nothing was saved" in stale.content.decode()
    assert TreatmentSession.objects.get(pk=session.pk).notes == "A's fix"


def test_odd_revisions_are_a_400_or_ignored_never_a_500(client, practitioner, client_record):
    api = api_for(practitioner.user)
    url = f"/api/v1/clients/{client_record.pk}/"
    for tag in ['"²"', '"' + "1" * 5000 + '"', '"-1"', 'W/""']:
        assert api.patch(url, {"phone": "4"}, HTTP_IF_MATCH=tag).status_code == 400, tag
    session = a_session(client_record, practitioner)
    client.force_login(practitioner.user)
    sign = reverse("sessions:session-sign", args=[session.pk])
    assert client.post(sign, {"revision": "²"}).status_code == 302
