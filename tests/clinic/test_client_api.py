import pytest
from django.test import override_settings

from clinic.api_tokens import ApiToken, digest_of
from clinic.models import Client

from ..factories import ClientFactory

LIST = "/api/v1/clients/"


def detail(client):
    return f"/api/v1/clients/{client.pk}/"


class TestClients:
    def test_create_and_read(self, api_as_practitioner, practitioner):
        response = api_as_practitioner.post(
            LIST,
            {
                "first_name": "Priya",
                "last_name": "Shah",
                "date_of_birth": "1991-11-23",
                "health_flags": ["pregnancy", "pregnancy"],
                "health_history": "Neck ache.",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["health_flags"] == ["pregnancy"]
        assert body["archived"] is False
        assert Client.objects.get(pk=body["id"]).clinic == practitioner.clinic

    def test_field_errors_are_json_and_nothing_is_saved(self, api_as_practitioner):
        response = api_as_practitioner.post(
            LIST,
            {
                "first_name": "",
                "date_of_birth": "31/02/1990",
                "health_flags": ["flying"],
                "email": "nope",
            },
            format="json",
        )
        assert response.status_code == 400
        errors = response.json()
        assert set(errors) >= {"first_name", "last_name", "date_of_birth", "health_flags", "email"}
        assert Client.objects.count() == 0

    @pytest.mark.parametrize(
        "payload,content_type,status",
        [
            ("{not json", "application/json", 400),
            ("[1, 2, 3]", "application/json", 400),
            (
                '{"health_flags": "pregnancy", "first_name": ["x"], "last_name": {"a": 1}}',
                "application/json",
                400,
            ),
            ('{"date_of_birth": "9999999999-01-01"}', "application/json", 400),
            ("\x00\xff", "application/octet-stream", 415),
        ],
    )
    def test_malformed_input_never_gives_a_500(
        self, api_as_practitioner, payload, content_type, status
    ):
        response = api_as_practitioner.generic("POST", LIST, payload, content_type=content_type)
        assert response.status_code == status
        assert response["Content-Type"].startswith("application/json")
        assert Client.objects.count() == 0

    def test_search_and_pagination(self, api_as_practitioner, practitioner):
        ClientFactory.create_batch(30, clinic=practitioner.clinic, last_name="Smith")
        ClientFactory(clinic=practitioner.clinic, last_name="Okonkwo", email="ok@example.com")
        found = api_as_practitioner.get(LIST, {"search": "okonk"}).json()
        assert [c["last_name"] for c in found["results"]] == ["Okonkwo"]
        first = api_as_practitioner.get(LIST).json()
        assert len(first["results"]) == 25 and first["next"] and first["previous"] is None
        assert "count" not in first  # no total: counting grows with the clinic

    def test_archive_and_filter(self, api_as_practitioner, client_record):
        response = api_as_practitioner.post(detail(client_record) + "archive/")
        assert response.json()["archived"] is True
        assert len(api_as_practitioner.get(LIST, {"archived": "true"}).json()["results"]) == 1
        assert api_as_practitioner.get(LIST, {"archived": "false"}).json()["results"] == []
        api_as_practitioner.post(detail(client_record) + "restore/")
        client_record.refresh_from_db()
        assert not client_record.archived

    def test_update_keeps_history(self, api_as_practitioner, practitioner, client_record):
        api_as_practitioner.patch(detail(client_record), {"phone": "01632 999999"}, format="json")
        latest = client_record.history.latest()
        assert latest.phone == "01632 999999"
        assert latest.history_user == practitioner.user

    def test_cannot_move_a_client_to_another_practitioners_clinic(
        self, api_as_practitioner, outsider, client_record
    ):
        response = api_as_practitioner.patch(
            detail(client_record), {"primary_practitioner": outsider.pk}, format="json"
        )
        assert response.status_code == 400
        assert "primary_practitioner" in response.json()

    @pytest.mark.parametrize("rows", [1, 30])
    def test_list_query_count_is_constant(
        self, api_as_practitioner, practitioner, django_assert_num_queries, rows
    ):
        ClientFactory.create_batch(rows, clinic=practitioner.clinic)
        # a page of clients and one more (force_authenticate hands over a user whose
        # practitioner profile is already loaded; no count)
        with django_assert_num_queries(1):
            assert api_as_practitioner.get(LIST).status_code == 200


class TestToken:
    URL = "/api/v1/auth/token/"

    def test_it_gives_a_token_that_works(self, api, practitioner, client_record):
        response = api.post(self.URL, {"username": "ana", "password": "correct-horse-battery"})
        token = response.json()["token"]
        assert ApiToken.objects.get(user=practitioner.user).digest == digest_of(token)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert len(api.get(LIST).json()["results"]) == 1

    def test_a_wrong_password_is_a_field_error(self, api, practitioner):
        response = api.post(self.URL, {"username": "ana", "password": "wrong"})
        assert response.status_code == 400
        assert "non_field_errors" in response.json()

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_failed_attempts_are_throttled(self, api, practitioner):
        for _ in range(2):
            assert api.post(self.URL, {"username": "ana", "password": "wrong"}).status_code == 400
        assert api.post(self.URL, {"username": "ana", "password": "wrong"}).status_code == 429
        response = api.post(self.URL, {"username": "ana", "password": "correct-horse-battery"})
        assert response.status_code == 429

    def test_a_bad_token_is_refused(self, api, db):
        api.credentials(HTTP_AUTHORIZATION="Token nonsense")
        assert api.get(LIST).status_code == 401


class TestSchema:
    def test_schema_and_docs_are_served_without_outside_requests(self, api_as_practitioner):
        schema = api_as_practitioner.get("/api/schema/", {"format": "json"})
        assert schema.status_code == 200
        assert "/api/v1/clients/" in schema.json()["paths"]
        docs = api_as_practitioner.get("/api/docs/")
        html = docs.content.decode()
        assert docs.status_code == 200
        assert "http://" not in html.replace("http://testserver", "")
        assert "https://" not in html

    def test_anonymous_cannot_read_the_schema(self, api, db):
        response = api.get("/api/schema/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


def test_the_whole_schema_is_valid_and_has_no_warnings(tmp_path, db):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in [
        "/api/v1/clients/",
        "/api/v1/points/",
        "/api/v1/sessions/",
        "/api/v1/homecare-sheets/",
        "/api/v1/auth/token/",
    ]:
        assert f"{path}:" in schema


@pytest.mark.parametrize("body", ['["a"]', '"text"', "null", "12"])
def test_the_token_endpoint_refuses_a_body_that_is_not_an_object(api, db, body):
    response = api.generic("POST", "/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_date_of_birth_before_1900_is_refused_by_the_api(api_as_practitioner):
    response = api_as_practitioner.post(
        LIST, {"first_name": "A", "last_name": "B", "date_of_birth": "0001-01-01"}, format="json"
    )
    assert "after 1900" in response.json()["date_of_birth"][0]
    assert Client.objects.count() == 0
