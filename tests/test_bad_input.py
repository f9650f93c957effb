"""Bad input and wrong paths never answer 500 or HTML on the API; answers that carry health
data are never cached."""

import pytest
from django.urls import reverse

from tests.homecare.api_support import a_sheet

DEEP = "[" * 950 + "]" * 950


@pytest.mark.parametrize("url", ["/api/v1/auth/token/", "/api/v1/clients/"])
def test_deeply_nested_json_is_a_json_400(api_as_practitioner, url):
    response = api_as_practitioner.post(url, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 20 levels" in response.json()["detail"]


def test_ordinary_nesting_still_parses(api_as_practitioner):
    response = api_as_practitioner.post(
        "/api/v1/clients/", {"first_name": "Ada", "last_name": "Ng"}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "path", ["clients/{pk}/archive.json", "clients/{pk}.json", "no-such-thing/", "clients/x/y/"]
)
def test_unknown_api_paths_are_a_json_404(api_as_practitioner, client_record, path):
    response = api_as_practitioner.post(f"/api/v1/{path.format(pk=client_record.pk)}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    client_record.refresh_from_db()
    assert client_record.archived_at is None


def test_an_unknown_page_is_the_404_page(as_practitioner):
    response = as_practitioner.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_body_over_the_limit_is_a_json_413(api_as_practitioner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"first_name": "' + "a" * 2000 + '"}'
    response = api_as_practitioner.post("/api/v1/clients/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}


def test_pages_api_answers_and_pdfs_are_not_cached(
    as_practitioner, api_as_practitioner, client_record, practitioner
):
    sheet = a_sheet(client_record, practitioner)
    answers = [
        as_practitioner.get(reverse("clinic:client-detail", args=[client_record.pk])),
        as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk])),
        api_as_practitioner.get(f"/api/v1/clients/{client_record.pk}/"),
    ]
    for response in answers:
        assert response.status_code == 200
        cache = response["Cache-Control"]
        assert "no-store" in cache and "private" in cache, cache


@pytest.mark.parametrize(
    "body,content_type",
    [
        ('{"first_name": "\\ud800", "last_name": "x"}', "application/json"),
        (None, "multipart"),
    ],
)
def test_odd_bodies_with_an_idempotency_key_are_refused_not_a_500(
    api_as_practitioner, body, content_type
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if content_type == "multipart":

        def data():  # a fresh upload each time, as a retry sends it again
            upload = SimpleUploadedFile("x", b"\xff\xfe\x00")
            return {"first_name": "A", "last_name": "B", "photo": upload}

        response = api_as_practitioner.post("/api/v1/clients/", data(), HTTP_IDEMPOTENCY_KEY="k1")
        assert response.status_code == 201  # the file is not a field; the client is saved
        again = api_as_practitioner.post("/api/v1/clients/", data(), HTTP_IDEMPOTENCY_KEY="k1")
        assert again.status_code == 201 and again.json()["id"] == response.json()["id"]
    else:
        response = api_as_practitioner.post(
            "/api/v1/clients/", body, content_type=content_type, HTTP_IDEMPOTENCY_KEY="k2"
        )
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("accept,status", [("text/html", 406), ("*/*", 404)])
def test_api_errors_are_json_whatever_is_accepted(api_as_practitioner, accept, status):
    response = api_as_practitioner.get("/api/v1/clients/999999/", HTTP_ACCEPT=accept)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert api_as_practitioner.get("/api/v1/clients/999999/?format=api").status_code == 404


def test_a_point_whose_default_tool_is_retired_needs_a_tool(api_as_practitioner, client_record):
    from catalogue.models import PressureTool
    from tests.factories import PointFactory

    point = PointFactory(
        default_tool=PressureTool.objects.create(slug="old-stick", name="Old stick")
    )
    PressureTool.objects.filter(slug="old-stick").update(is_active=False)
    body = {
        "client": client_record.pk,
        "started_at": "2026-01-05T10:00:00Z",
        "pain_before": 5,
        "points": [{"point": point.code, "side": "both", "pressure": "light"}],
    }
    response = api_as_practitioner.post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 400
    assert "default tool, Old stick, is retired" in str(response.json()["points"])
