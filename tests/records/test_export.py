"""Exporting a client's whole record, as JSON and as a readable PDF, from the client page
and the API: every session and sheet with its PDF, and the export itself logged."""

import base64
import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clinic.access import NOT_A_PRACTITIONER
from clinic.access_log import AccessEvent, record
from homecare import services as homecare
from homecare.models import HomeCareSheet
from homecare.rows import ItemRow
from scheduling import booking, plans
from scheduling.models import Reminder
from sessions import services as sessions
from sessions.rows import PointRow

from ..factories import ClientFactory, ConditionFactory, PointFactory

HISTORY = "Takes warfarin since the valve replacement"
EXPORT = AccessEvent.Action.EXPORT


def page_url(client, export_format):
    return reverse("records:client-export", args=[client.pk]) + f"?format={export_format}"


def api_url(client, export_format):
    return reverse("api:client-export", args=[client.pk]) + f"?format={export_format}"


def session_for(client, practitioner, *, days_ago, points, notes="", conditions=()):
    return sessions.record_session(
        client=client,
        practitioner=practitioner,
        started_at=timezone.now() - timedelta(days=days_ago),
        pain_before=7,
        pain_after=3,
        outcome="improved",
        notes=notes,
        conditions=conditions,
        points=[PointRow(point=point) for point in points],
    )


@pytest.fixture
def points(db):
    return [PointFactory(), PointFactory(), PointFactory()]


@pytest.fixture
def patient(practitioner):
    patient = ClientFactory(
        clinic=practitioner.clinic,
        first_name="Margaret",
        last_name="Hale",
        health_history=HISTORY,
        health_flags=["anticoagulant", "recent_surgery"],
        flag_sites={"recent_surgery": [{"region": "knee", "side": "left"}]},
        health_flags_other="Numb left foot",
        consent_given_at=timezone.now() - timedelta(days=30),
        consent_recorded_by=practitioner,
        primary_practitioner=practitioner,
    )
    return patient


@pytest.fixture
def full_record(patient, practitioner, colleague, points):
    """Two sessions (one signed and amended, one draft), a sheet issued from the first and
    a draft sheet, and a colleague's view."""
    neck = ConditionFactory(name="Neck pain")
    first = session_for(
        patient, practitioner, days_ago=9, points=points[:2], notes="First visit", conditions=[neck]
    )
    sessions.sign_session(session=first, practitioner=practitioner)
    sessions.amend_session(
        session=first, practitioner=practitioner, reason="Typo in notes", changes={"notes": "Fixed"}
    )
    second = session_for(patient, practitioner, days_ago=2, points=points[2:], notes="Second visit")
    issued = homecare.issue_sheet(
        sheet=homecare.create_sheet(
            client=patient, practitioner=practitioner, items=[ItemRow(point=points[0])]
        ),
        practitioner=practitioner,
    )
    draft = homecare.create_sheet(
        client=patient, practitioner=practitioner, items=[ItemRow(point=points[1])]
    )
    record(
        action=AccessEvent.Action.VIEW,
        user=colleague.user,
        client=patient,
        record_type=AccessEvent.RecordType.SESSION,
        record_id=second.pk,
    )
    return {"sessions": [first, second], "issued": issued, "draft": draft}


@pytest.fixture
def ana(client, practitioner):
    client.force_login(practitioner.user)
    return client


def exports_of(patient):
    return list(AccessEvent.objects.filter(client=patient, action=EXPORT).order_by("pk"))


class TestTheJsonExport:
    @pytest.fixture
    def exported(self, ana, patient, full_record):
        response = ana.get(page_url(patient, "json"), REMOTE_ADDR="10.9.8.7")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"].startswith(
            f'attachment; filename="client-{patient.pk}-record-'
        )
        return json.loads(response.content)

    def test_it_holds_the_clients_details_flags_and_consent(self, exported, patient, practitioner):
        client = exported["client"]
        assert (client["id"], client["full_name"], client["health_history"]) == (
            patient.pk,
            "Margaret Hale",
            HISTORY,
        )
        assert client["health_flags"] == ["anticoagulant", "recent_surgery"]
        assert client["health_flag_labels"] == ["Takes blood thinners", "Recent surgery"]
        assert client["flag_sites"] == {"recent_surgery": [{"region": "knee", "side": "left"}]}
        assert client["health_flags_other"] == "Numb left foot"
        assert client["consent_recorded_by"] == {"id": practitioner.pk, "name": "Ana Duarte"}
        assert client["consent_given_at"] is not None
        assert exported["export"]["exported_by"] == {"id": practitioner.pk, "name": "Ana Duarte"}
        assert exported["export"]["clinic"]["id"] == patient.clinic_id

    def test_it_holds_every_session_with_points_conditions_and_amendments(
        self, exported, full_record, points
    ):
        first, second = full_record["sessions"]
        assert [s["id"] for s in exported["sessions"]] == [first.pk, second.pk]
        one, two = exported["sessions"]
        assert [p["point"]["id"] for p in one["points"]] == [points[0].pk, points[1].pk]
        assert [p["point"]["id"] for p in two["points"]] == [points[2].pk]
        assert one["conditions"] == [{"slug": "neck-pain", "name": "Neck pain"}]
        assert one["signed_at"] is not None and two["signed_at"] is None
        (amendment,) = one["amendments"]
        assert (amendment["reason"], amendment["amended_as"]) == ("Typo in notes", "treating")
        assert amendment["changes"] == {"notes": {"old": "First visit", "new": "Fixed"}}
        assert one["notes"] == "Fixed"

    def test_it_holds_every_sheet_with_its_items_and_the_issued_pdf(self, exported, full_record):
        issued, draft = full_record["issued"], full_record["draft"]
        stored = bytes(HomeCareSheet.objects.get(pk=issued.pk).pdf)
        first, second = exported["homecare_sheets"]
        assert [first["id"], second["id"]] == [issued.pk, draft.pk]
        assert [len(first["items"]), len(second["items"])] == [1, 1]
        pdf = first["pdf"]
        assert base64.b64decode(pdf["base64"]) == stored
        assert pdf["sha256"] == hashlib.sha256(stored).hexdigest() == issued.pdf_sha256
        assert (pdf["filename"], pdf["size"]) == (f"homecare-{issued.pk}-v1.pdf", len(stored))
        assert second["pdf"] is None

    def test_it_holds_the_access_log_with_this_export_last(self, exported, patient, colleague):
        log = exported["access_log"]
        assert log[0]["who"] == colleague.display_name
        assert log[0]["action"] == AccessEvent.Action.VIEW
        assert (log[-1]["action"], log[-1]["record_type"], log[-1]["detail"]) == (
            EXPORT,
            AccessEvent.RecordType.RECORD_EXPORT,
            "JSON",
        )
        assert log[-1]["ip_address"] == "10.9.8.7"


def diary_of(patient, practitioner, *, days_ahead=1):
    """A cancelled appointment whose reminder was sent, and a two-session plan."""
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=days_ahead)
    appointment = booking.book_appointment(
        client=patient,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        booked_by=practitioner,
    )
    Reminder.objects.filter(appointment=appointment).update(
        sent_at=timezone.now(), sent_to=patient.email
    )
    booking.set_status(
        appointment=appointment, changed_by=practitioner, status="cancelled", reason="Away"
    )
    plan = plans.start_plan(
        client=patient,
        practitioner=practitioner,
        created_by=practitioner,
        goal="Sleep through the night",
        sessions_planned=2,
        interval_days=7,
        minutes=30,
        first_starts_at=starts_at + timedelta(hours=2),
    )
    return appointment, plan


def test_it_holds_the_appointments_with_their_reminders_and_the_plans(ana, practitioner, patient):
    cancelled, plan = diary_of(patient, practitioner)
    body = json.loads(ana.get(page_url(patient, "json")).content)
    first = body["appointments"][0]
    assert [a["id"] for a in body["appointments"]] == [
        cancelled.pk,
        *plan.appointments.order_by("starts_at").values_list("pk", flat=True),
    ]
    assert (first["status"], first["cancel_reason"]) == ("cancelled", "Away")
    assert [(r["channel"], r["sent_to"]) for r in first["reminders"]] == [("email", patient.email)]
    assert [(p["id"], p["goal"]) for p in body["treatment_plans"]] == [
        (plan.pk, "Sleep through the night")
    ]
    text, _ = pdf_text(ana.get(page_url(patient, "pdf")).content)
    assert "Appointments (3)" in text and "Cancelled: Away" in text
    assert "Goal: Sleep through the night" in text


def test_the_export_is_logged_once_and_shown_on_the_client_page(ana, practitioner, patient):
    ana.get(page_url(patient, "json"), REMOTE_ADDR="10.9.8.7")

    (entry,) = exports_of(patient)
    assert (entry.user, entry.clinic, entry.record_type, entry.record_id, entry.detail) == (
        practitioner.user,
        practitioner.clinic,
        AccessEvent.RecordType.RECORD_EXPORT,
        patient.pk,
        "JSON",
    )
    assert entry.ip_address == "10.9.8.7"
    page = ana.get(reverse("clinic:client-detail", args=[patient.pk]))
    assert entry in page.context["viewers"]
    assert f"Exported: Client record export {patient.pk} (JSON)" in page.content.decode()


def test_the_client_page_has_the_export_buttons(ana, patient):
    html = ana.get(reverse("clinic:client-detail", args=[patient.pk])).content.decode()
    assert page_url(patient, "json") in html and page_url(patient, "pdf") in html


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), reader


def test_the_pdf_export_is_readable_and_carries_the_issued_pdfs(ana, patient, full_record, points):
    response = ana.get(page_url(patient, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    text, reader = pdf_text(response.content)

    for expected in (
        "Client record: Margaret Hale",
        HISTORY,
        "Health flags: Takes blood thinners, Recent surgery; Recent surgery at knee (left)",
        "Numb left foot",
        "Consent to treatment Given",
        "Typo in notes",
        "Neck pain",
        "Second visit",
        "Draft, not issued",
        "Access log",
    ):
        assert expected in text, expected
    first, second = full_record["sessions"]
    assert f"Session {first.pk}" in text and f"Session {second.pk}" in text
    for point in points:
        assert f"{point.code} {point.pinyin}" in text
    issued = full_record["issued"]
    assert issued.pdf_sha256 in text
    assert text.count("Exported") >= 2  # the header, and this export in the log
    name = f"homecare-{issued.pk}-v1.pdf"
    assert reader.attachments == {name: [bytes(HomeCareSheet.objects.get(pk=issued.pk).pdf)]}
    (entry,) = exports_of(patient)
    assert entry.detail == "PDF"


class TestTheApi:
    @pytest.fixture
    def api_ana(self, api, practitioner):
        api.force_authenticate(practitioner.user)
        return api

    def test_it_exports_json(self, api_ana, patient, full_record):
        response = api_ana.get(api_url(patient, "json"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        body = json.loads(response.content)
        assert [s["id"] for s in body["sessions"]] == [s.pk for s in full_record["sessions"]]
        assert body["homecare_sheets"][0]["pdf"]["sha256"] == full_record["issued"].pdf_sha256
        assert body["access_log"][-1]["detail"] == "JSON, API"
        (entry,) = exports_of(patient)
        assert entry.detail == "JSON, API"

    def test_json_is_the_default(self, api_ana, patient):
        response = api_ana.get(reverse("api:client-export", args=[patient.pk]))
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content)["client"]["id"] == patient.pk

    def test_it_exports_pdf(self, api_ana, patient):
        response = api_ana.get(api_url(patient, "pdf"), HTTP_ACCEPT="application/pdf")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        assert "Client record: Margaret Hale" in pdf_text(response.content)[0]
        assert exports_of(patient)[0].detail == "PDF, API"

    def test_an_unknown_format_is_a_400_and_logs_nothing(self, api_ana, patient):
        response = api_ana.get(api_url(patient, "xml"))
        assert response.status_code == 400
        assert response.json() == {"format": ["Choose json or pdf."]}
        assert exports_of(patient) == []

    def test_another_clinics_client_is_a_404(self, api, outsider, patient):
        api.force_authenticate(outsider.user)
        assert api.get(api_url(patient, "json")).status_code == 404
        assert exports_of(patient) == []

    def test_a_user_without_a_profile_is_refused(self, api, no_profile_user, patient):
        api.force_authenticate(no_profile_user)
        response = api.get(api_url(patient, "json"))
        assert response.status_code == 403
        assert response.json() == {"detail": NOT_A_PRACTITIONER}

    def test_an_anonymous_caller_gets_401(self, api, patient):
        assert api.get(api_url(patient, "json")).status_code == 401
        assert exports_of(patient) == []

    def test_the_schema_documents_both_formats(self, api_ana):
        schema = api_ana.get(reverse("api:schema"), {"format": "json"}).json()
        operation = schema["paths"]["/api/v1/clients/{id}/export/"]["get"]
        (parameter,) = [p for p in operation["parameters"] if p["name"] == "format"]
        assert parameter["schema"]["enum"] == ["json", "pdf"]
        assert set(operation["responses"]["200"]["content"]) == {
            "application/json",
            "application/pdf",
        }


class TestThePageRefuses:
    def test_another_clinics_client_is_a_404(self, client, outsider, patient):
        client.force_login(outsider.user)
        assert client.get(page_url(patient, "pdf")).status_code == 404
        assert exports_of(patient) == []

    def test_a_user_without_a_profile_gets_403(self, client, no_profile_user, patient):
        client.force_login(no_profile_user)
        response = client.get(page_url(patient, "json"))
        assert response.status_code == 403
        assert b"not linked to an active practitioner" in response.content

    def test_an_anonymous_visitor_goes_to_the_login_page(self, client, patient):
        response = client.get(page_url(patient, "json"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
        assert exports_of(patient) == []

    def test_an_unknown_format_is_a_400_and_logs_nothing(self, ana, patient):
        assert ana.get(page_url(patient, "xml")).status_code == 400
        assert exports_of(patient) == []


@pytest.mark.parametrize("count", [1, 4])
def test_the_export_reads_a_fixed_number_of_queries(
    ana, practitioner, patient, points, django_assert_num_queries, count
):
    for n in range(count):
        session = session_for(
            patient, practitioner, days_ago=n + 1, points=points, conditions=[ConditionFactory()]
        )
        sessions.sign_session(session=session, practitioner=practitioner)
        sessions.amend_session(
            session=session, practitioner=practitioner, reason="Typo", changes={"notes": "x"}
        )
        sheet = homecare.create_sheet(
            client=patient, practitioner=practitioner, items=[ItemRow(point=p) for p in points]
        )
        HomeCareSheet.objects.filter(pk=sheet.pk).update(  # issued, without rendering
            issued_at=timezone.now(),
            issued_by=practitioner,
            pdf=b"%PDF-1.7 stored",
            pdf_sha256=hashlib.sha256(b"%PDF-1.7 stored").hexdigest(),
        )
        record(action=AccessEvent.Action.VIEW, user=practitioner.user, client=patient)
        diary_of(patient, practitioner, days_ahead=n + 1)
    # session, user, practitioner, clinic (time zone), the client (clinic, primary
    # practitioner and consent recorder joined), the export's log entry, sessions
    # (practitioner and signer joined), their conditions, points (point and tool joined),
    # amendments (who joined), sheets (who joined), their items (point and tool joined),
    # appointments (practitioner, type and room joined), their reminders, plans
    # (practitioner joined), the access log (users and practitioners joined), the client's
    # flag labels (once)
    with django_assert_num_queries(17):
        response = ana.get(page_url(patient, "json"))
    body = json.loads(response.content)
    assert len(body["sessions"]) == len(body["homecare_sheets"]) == count
    assert len(body["appointments"]) == 3 * count and len(body["treatment_plans"]) == count
    assert all(sheet["pdf"]["size"] == 15 for sheet in body["homecare_sheets"])
