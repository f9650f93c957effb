import pytest
from drf_spectacular.drainage import GENERATOR_STATS

from clinic.access_log import API, AccessEvent
from letters import services

from ..factories import PractitionerFactory
from .support import EMERGENCY_SIGN, SAME_DAY_SIGN, pdf_pages

LIST = "/api/v1/letters/"


def detail(letter, tail=""):
    return f"{LIST}{letter.pk}/{tail}"


@pytest.fixture
def letter(flagged_session, practitioner):
    return services.letter_from_session(session=flagged_session, practitioner=practitioner)[0]


def test_the_schema_documents_the_letters_without_warnings(api_as_practitioner, capsys):
    GENERATOR_STATS.reset()
    paths = api_as_practitioner.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"/api/v1/letters/", "/api/v1/letters/{id}/", "/api/v1/letters/{id}/pdf/"} <= set(paths)
    assert set(paths["/api/v1/letters/{id}/"]) == {"get"}  # never changed nor deleted here
    pdf = paths["/api/v1/letters/{id}/pdf/"]["get"]["responses"]["200"]["content"]
    assert set(pdf) == {"application/pdf"}
    warnings = capsys.readouterr().err.lower()
    assert "referralletter" not in warnings and "api/v1/letters" not in warnings


def test_it_lists_and_retrieves_the_clinics_letters(api_as_practitioner, letter, practitioner):
    listed = api_as_practitioner.get(LIST, {"client": letter.client_id}).json()
    assert [row["id"] for row in listed["results"]] == [letter.pk]
    body = api_as_practitioner.get(detail(letter)).json()
    assert body == {
        "id": letter.pk,
        "client": letter.client_id,
        "session": letter.session_id,
        "created_by": practitioner.pk,
        "created_at": body["created_at"],
        "warning_signs": [EMERGENCY_SIGN, SAME_DAY_SIGN],
        "is_issued": False,
        "issued_at": None,
        "issued_by": None,
        "pdf_sha256": "",
    }
    logged = AccessEvent.objects.get(record_type=AccessEvent.RecordType.LETTER)
    assert (logged.record_id, logged.detail) == (letter.pk, API)


def test_the_pdf_is_the_stored_one_once_issued(api_as_practitioner, letter, practitioner):
    draft = api_as_practitioner.get(detail(letter, "pdf/"), HTTP_ACCEPT="application/pdf")
    assert draft["Content-Type"] == "application/pdf"
    assert "Draft: not issued" in pdf_pages(draft.content)[1]
    issued = services.issue_letter(letter=letter, practitioner=practitioner)
    response = api_as_practitioner.get(detail(letter, "pdf/"))
    assert response.content == bytes(issued.pdf)
    body = api_as_practitioner.get(detail(letter)).json()
    assert body["is_issued"] and body["pdf_sha256"] == issued.pdf_sha256
    assert AccessEvent.objects.filter(record_type=AccessEvent.RecordType.LETTER_PDF).count() == 2


def test_another_clinic_sees_none_and_errors_are_json(api, letter):
    api.force_authenticate(PractitionerFactory().user)
    assert api.get(LIST).json()["results"] == []
    for url in (detail(letter), detail(letter, "pdf/")):
        response = api.get(url)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
    bad = api.get(LIST, {"client": "not-a-number"})
    assert bad.status_code == 400 and "client" in bad.json()


def test_letters_are_not_written_through_the_api(api_as_practitioner, letter):
    assert api_as_practitioner.post(LIST, {"session": letter.session_id}).status_code == 405
    assert api_as_practitioner.delete(detail(letter)).status_code == 405
    assert api_as_practitioner.patch(detail(letter), {}).status_code == 405


def test_the_list_is_newest_first_by_cursor_with_no_total(api_as_practitioner, letter):
    # Each letter carries its client's clinic (the list's index), set when it is made.
    assert letter.clinic_id == letter.client.clinic_id
    listed = api_as_practitioner.get(LIST).json()
    assert "count" not in listed and listed["next"] is None and listed["previous"] is None
    assert [row["id"] for row in listed["results"]] == [letter.pk]
