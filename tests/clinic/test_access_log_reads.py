"""Every read of a clinical record writes one access log entry (who, when, which record,
from where), never the health data; lists write nothing; the client's page lists the
latest views."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.access_log import API, AccessEvent, record
from homecare import services as homecare
from homecare.rows import ItemRow
from sessions import services as sessions
from sessions.rows import PointRow

from ..factories import ClientFactory, PointFactory

HEALTH = {
    "health_history": "Takes warfarin since the valve replacement",
    "health_flags": ["anticoagulant", "pregnancy"],
    "health_flags_other": "Numb left foot after knee surgery",
}
NOTES = "Tender over the scar; client anxious about bruising"
ADDRESS = "10.20.30.40"


@pytest.fixture
def patient(practitioner):
    return ClientFactory(clinic=practitioner.clinic, first_name="Margaret", **HEALTH)


@pytest.fixture
def session(patient, practitioner):
    return sessions.record_session(
        client=patient,
        practitioner=practitioner,
        started_at=timezone.now() - timedelta(hours=2),
        pain_before=6,
        notes=NOTES,
        points=[PointRow(point=PointFactory())],
    )


@pytest.fixture
def sheet(patient, practitioner):
    point = PointFactory()
    return homecare.create_sheet(
        client=patient, practitioner=practitioner, items=[ItemRow(point=point)]
    )


@pytest.fixture
def reader(client, practitioner):
    """The practitioner, logged in (its login entry made before any test counts)."""
    client.force_login(practitioner.user)
    return client


def new_entries(since):
    return list(AccessEvent.objects.filter(pk__gt=since).order_by("pk"))


def last_pk():
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def health_words():
    return [HEALTH["health_history"], HEALTH["health_flags_other"], NOTES, *HEALTH["health_flags"]]


def test_viewing_a_client_writes_exactly_one_entry_with_no_health_data(
    reader, practitioner, patient
):
    before = last_pk()
    response = reader.get(reverse("clinic:client-detail", args=[patient.pk]), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200

    (entry,) = new_entries(before)
    assert (entry.action, entry.user, entry.username, entry.clinic, entry.client) == (
        AccessEvent.Action.VIEW,
        practitioner.user,
        "ana",
        practitioner.clinic,
        patient,
    )
    assert (entry.record_type, entry.record_id, entry.ip_address, entry.detail) == (
        AccessEvent.RecordType.CLIENT,
        patient.pk,
        ADDRESS,
        "",
    )
    assert timezone.now() - entry.at < timedelta(minutes=1)
    stored = " ".join(
        str(value) for value in AccessEvent.objects.filter(pk=entry.pk).values()[0].values()
    )
    for word in health_words():
        assert word.lower() not in stored.lower(), word


def page(name, record, record_type, detail=""):
    return pytest.param(name, record, record_type, detail, id=name)


@pytest.mark.parametrize(
    "name,record_name,record_type,detail",
    [
        page("sessions:session-detail", "session", AccessEvent.RecordType.SESSION),
        page("homecare:sheet-detail", "sheet", AccessEvent.RecordType.SHEET),
        page("homecare:sheet-print", "sheet", AccessEvent.RecordType.SHEET, "print page"),
        page("homecare:sheet-pdf", "sheet", AccessEvent.RecordType.SHEET_PDF),
        page("api:client-detail", "patient", AccessEvent.RecordType.CLIENT, API),
        page("api:session-detail", "session", AccessEvent.RecordType.SESSION, API),
        page("api:homecare-sheet-detail", "sheet", AccessEvent.RecordType.SHEET, API),
        page("api:homecare-sheet-pdf", "sheet", AccessEvent.RecordType.SHEET_PDF, API),
    ],
)
def test_each_record_kind_is_logged_when_read(
    request, reader, practitioner, patient, name, record_name, record_type, detail
):
    record_read = request.getfixturevalue(record_name)
    before = last_pk()
    response = reader.get(reverse(name, args=[record_read.pk]), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200

    (entry,) = new_entries(before)
    assert (entry.action, entry.user, entry.client, entry.clinic) == (
        AccessEvent.Action.VIEW,
        practitioner.user,
        patient,
        practitioner.clinic,
    )
    assert (entry.record_type, entry.record_id, entry.detail, entry.ip_address) == (
        record_type,
        record_read.pk,
        detail,
        ADDRESS,
    )


def test_an_issued_sheets_stored_pdf_is_logged_too(reader, practitioner, sheet):
    homecare.issue_sheet(sheet=sheet, practitioner=practitioner)
    before = last_pk()
    response = reader.get(reverse("homecare:sheet-pdf", args=[sheet.pk]))
    assert response.content.startswith(b"%PDF")
    (entry,) = new_entries(before)
    assert (entry.record_type, entry.record_id) == (AccessEvent.RecordType.SHEET_PDF, sheet.pk)


@pytest.mark.parametrize(
    "name", ["clinic:client-list", "api:client-list", "api:session-list", "api:homecare-sheet-list"]
)
def test_lists_write_nothing(reader, session, sheet, name):
    before = last_pk()
    assert reader.get(reverse(name)).status_code == 200
    assert new_entries(before) == []


def test_a_refused_read_writes_nothing(client, outsider, patient, session):
    client.force_login(outsider.user)
    before = last_pk()
    assert client.get(reverse("clinic:client-detail", args=[patient.pk])).status_code == 404
    assert client.get(reverse("api:session-detail", args=[session.pk])).status_code == 404
    assert new_entries(before) == []


def test_an_api_write_is_not_logged_as_a_read(reader, patient):
    before = last_pk()
    url = reverse("api:client-detail", args=[patient.pk])
    response = reader.patch(url, {"phone": "01234 567890"}, content_type="application/json")
    assert response.status_code == 200
    assert new_entries(before) == []


class TestWhoViewedThisRecord:
    def test_the_client_page_lists_the_latest_views_and_exports(
        self, reader, practitioner, colleague, patient, session
    ):
        record(
            action=AccessEvent.Action.VIEW,
            user=colleague.user,
            client=patient,
            record_type=AccessEvent.RecordType.SESSION,
            record_id=session.pk,
        )
        record(
            action=AccessEvent.Action.EXPORT,
            user=colleague.user,
            client=patient,
            record_type=AccessEvent.RecordType.RECORD_EXPORT,
            record_id=patient.pk,
            detail="pdf",
        )
        response = reader.get(reverse("clinic:client-detail", args=[patient.pk]))
        viewers = [(e.who, e.action, e.what) for e in response.context["viewers"]]
        assert viewers == [
            ("Ana Duarte", AccessEvent.Action.VIEW, f"Client {patient.pk}"),
            (
                colleague.display_name,
                AccessEvent.Action.EXPORT,
                f"Client record export {patient.pk}",
            ),
            (colleague.display_name, AccessEvent.Action.VIEW, f"Treatment session {session.pk}"),
        ]
        html = response.content.decode()
        assert "Who viewed this record" in html
        assert f"Exported: Client record export {patient.pk} (pdf)" in html
        assert reverse("clinic:access-log") not in html  # the full log is the manager's

    def test_logins_are_not_listed_as_views(self, reader, patient):
        response = reader.get(reverse("clinic:client-detail", args=[patient.pk]))
        assert [e.action for e in response.context["viewers"]] == [AccessEvent.Action.VIEW]

    def test_the_list_is_short(self, reader, practitioner, patient):
        for _ in range(15):
            record(action=AccessEvent.Action.VIEW, user=practitioner.user, client=patient)
        response = reader.get(reverse("clinic:client-detail", args=[patient.pk]))
        assert len(response.context["viewers"]) == 10

    def test_a_manager_gets_a_link_to_the_full_log(self, client, clinic_manager, patient):
        client.force_login(clinic_manager.user)
        response = client.get(reverse("clinic:client-detail", args=[patient.pk]))
        assert f"{reverse('clinic:access-log')}?client={patient.pk}" in response.content.decode()

    @pytest.mark.parametrize("views", [1, 30])
    def test_the_client_page_query_count_is_constant(
        self, reader, practitioner, colleague, patient, django_assert_num_queries, views
    ):
        for n in range(views):
            who = practitioner if n % 2 else colleague
            record(action=AccessEvent.Action.VIEW, user=who.user, client=patient)
        # session, user, practitioner, clinic (time zone), the client, the entry for this
        # view, change history, the age flags (the client has a date of birth), the caution
        # rules for their flags (once), the timeline's sessions (none), the flag labels
        # (once), the sheets, the upcoming appointments, the treatment plans (none), the
        # latest views (users and
        # practitioners joined)
        with django_assert_num_queries(15):
            response = reader.get(reverse("clinic:client-detail", args=[patient.pk]))
        assert len(response.context["viewers"]) == min(views + 1, 10)
