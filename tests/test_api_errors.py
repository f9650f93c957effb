"""Every API error is JSON of one shape: `{"detail": "..."}`, or field errors for a 400.
A status each, sent as a client would. 409 (an Idempotency-Key still in flight) and 503 (the
database unreachable) need a real PostgreSQL to happen: tests/clinic/test_idempotency.py and
tests/test_database_outage.py send them and check the same shape."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from clinic.access import NOT_A_PRACTITIONER
from clinic.api import ClientViewSet

from .conftest import PASSWORD


def assert_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body, dict) and body, body
    if status != 400 or "detail" in body:
        assert isinstance(body["detail"], str) and body["detail"], body
    return body


def client_url(record, action=""):
    return f"/api/v1/clients/{record.pk}/{action + '/' if action else ''}"


def test_400_bad_input_is_field_errors(api_as_practitioner):
    body = assert_error(api_as_practitioner.post("/api/v1/clients/", {}, format="json"), 400)
    assert body["first_name"] == ["This field is required."]


def test_400_unreadable_json_is_a_detail(api_as_practitioner):
    response = api_as_practitioner.post("/api/v1/clients/", "{", content_type="application/json")
    assert "JSON parse error" in assert_error(response, 400)["detail"]


def test_401_without_a_token(api):
    assert_error(api.get("/api/v1/clients/"), 401)


def test_401_with_a_token_that_is_not_one(api, practitioner):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert_error(api.get("/api/v1/clients/"), 401)


def test_403_without_a_practitioner_profile(api, no_profile_user):
    api.force_authenticate(no_profile_user)
    assert assert_error(api.get("/api/v1/clients/"), 403) == {"detail": NOT_A_PRACTITIONER}


def test_404_another_clinics_record(api_as_practitioner, outsider):
    from .factories import ClientFactory

    theirs = ClientFactory(clinic=outsider.clinic)
    assert_error(api_as_practitioner.get(client_url(theirs)), 404)


def test_404_a_page_past_the_end(api_as_practitioner):
    assert_error(api_as_practitioner.get("/api/v1/points/?page=999"), 404)


def test_404_a_page_after_a_client_not_in_the_list(api_as_practitioner):
    assert_error(api_as_practitioner.get("/api/v1/clients/?after=999999"), 404)


def test_405_a_method_not_offered(api_as_practitioner, client_record):
    assert_error(api_as_practitioner.get(client_url(client_record, "archive")), 405)


def test_412_a_stale_if_match(api_as_practitioner, client_record):
    response = api_as_practitioner.patch(
        client_url(client_record), {"phone": "1"}, format="json", HTTP_IF_MATCH='"999"'
    )
    assert assert_error(response, 412)["current_revision"] == client_record.revision


def test_413_a_body_over_the_limit(api_as_practitioner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"first_name": "' + "a" * 2000 + '"}'
    response = api_as_practitioner.post("/api/v1/clients/", body, content_type="application/json")
    assert_error(response, 413)


def test_415_a_body_of_another_type(api_as_practitioner):
    response = api_as_practitioner.post("/api/v1/clients/", "x", content_type="text/plain")
    assert_error(response, 415)


def test_429_a_locked_account_on_the_token_endpoint(api, practitioner, settings):
    wrong = {"username": practitioner.user.username, "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_error(api.post(reverse("api:token"), wrong, format="json"), 400)
    assert_error(api.post(reverse("api:token"), wrong, format="json"), 429)
    right = {**wrong, "password": PASSWORD}
    assert_error(api.post(reverse("api:token"), right, format="json"), 429)


def test_500_a_server_failure(api_as_practitioner, monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ClientViewSet, "list", fails)
    api_as_practitioner.raise_request_exception = False  # answer as a server would
    body = assert_error(api_as_practitioner.get("/api/v1/clients/"), 500)
    assert body == {"detail": "Something went wrong on the server. The error has been logged."}


@pytest.mark.parametrize("accept", ["text/html", "application/xml"])
def test_406_whatever_is_accepted_the_error_is_json(api_as_practitioner, accept):
    assert_error(api_as_practitioner.get("/api/v1/clients/", HTTP_ACCEPT=accept), 406)


def test_the_token_endpoint_answers_errors_in_the_same_shape():
    response = APIClient().post(reverse("api:token"), [1], format="json")
    assert_error(response, 400)
