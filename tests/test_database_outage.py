"""While PostgreSQL cannot be reached, pages answer a plain 503 page and the API a JSON 503,
never a 500; the next request after it is back works."""

import socket
from contextlib import contextmanager

import pytest
from django.db import connection
from rest_framework.test import APIClient

from clinic.api_tokens import issue

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite is a file: there is no server to lose"
    ),
    pytest.mark.django_db(transaction=True),
]


def a_closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe closes


@contextmanager
def database_unreachable():
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    connection.close()
    settings_dict.update(HOST="127.0.0.1", PORT=str(a_closed_port()))
    try:
        yield
    finally:
        connection.close()
        settings_dict.clear()
        settings_dict.update(saved)


def test_pages_answer_503_and_recover(client, practitioner):
    client.raise_request_exception = False  # answer as a server would
    client.force_login(practitioner.user)
    with database_unreachable():
        response = client.get("/clients/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "30"
    assert b"cannot be reached just now" in response.content
    assert client.get("/clients/").status_code == 200


def test_the_api_answers_json_503_and_recovers(practitioner):
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue(user=practitioner.user)[1]}")
    with database_unreachable():
        response = api.post("/api/v1/clients/", {"first_name": "Ada", "last_name": "Ng"})
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "cannot be reached just now" in response.json()["detail"]
    assert api.get("/api/v1/clients/").status_code == 200
