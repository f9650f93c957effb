"""Idempotency-Key on the API's creates and actions: a retry with the same key and body is
answered the same and done once; the key is the user's own, kept 24 hours, and refused for
another request (422) or while its first request is still running (409)."""

import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from clinic.idempotency import KeyInFlight, body_sha256
from clinic.models import Client, IdempotencyKey
from homecare import services as homecare
from homecare.models import HomeCareSheet
from sessions.models import Amendment, TreatmentSession
from tests.homecare import api_support as sheets
from tests.sessions import session_api_support as sessions

from ..factories import ConditionFactory, PointFactory

KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324"
CLIENTS = "/api/v1/clients/"
PRIYA = {"first_name": "Priya", "last_name": "Shah"}


def send(api, url, body=None, key=KEY):
    headers = {} if key is None else {"Idempotency-Key": key}
    return api.post(url, body or {}, format="json", headers=headers)


@dataclass
class Write:
    """A write the API offers, its answer, and what it does, read from the database."""

    url: str
    body: dict
    status: int
    done: Callable[[], object]


def history_of(record):
    return lambda: record.history.count()


def a_client(practitioner, client):
    return Write(CLIENTS, PRIYA, 201, Client.objects.count)


def an_archive(practitioner, client):
    return Write(f"{CLIENTS}{client.pk}/archive/", {}, 200, history_of(client))


def a_restore(practitioner, client):
    client.archive()
    return Write(f"{CLIENTS}{client.pk}/restore/", {}, 200, history_of(client))


def a_session(practitioner, client):
    point = sessions.point_row(point=PointFactory().code)
    body = sessions.new_session(client, conditions=[ConditionFactory().slug], points=[point])
    return Write(sessions.LIST, body, 201, TreatmentSession.objects.count)


def a_signing(practitioner, client):
    session = sessions.a_session(client, practitioner)
    return Write(f"{sessions.detail(session)}sign/", {}, 200, history_of(session))


def an_amendment(practitioner, client):
    session = sessions.a_session(client, practitioner, signed=True)
    body = {"reason": "Typo", "notes": "Fixed"}
    return Write(f"{sessions.detail(session)}amend/", body, 200, Amendment.objects.count)


def a_sheet(practitioner, client):
    body = sheets.new_sheet(client, items=[sheets.item_row(point=PointFactory().code)])
    return Write(sheets.LIST, body, 201, HomeCareSheet.objects.count)


def a_sheet_from_a_session(practitioner, client):
    session = sessions.a_session(client, practitioner)
    return Write(sheets.LIST, {"session": session.pk}, 201, HomeCareSheet.objects.count)


def an_issue(practitioner, client):
    sheet = sheets.a_sheet(client, practitioner)
    return Write(sheets.detail(sheet, "issue"), {}, 200, history_of(sheet))


def a_new_version(practitioner, client):
    issued = homecare.issue_sheet(
        sheet=sheets.a_sheet(client, practitioner), practitioner=practitioner
    )
    return Write(sheets.detail(issued, "new-version"), {}, 201, HomeCareSheet.objects.count)


WRITES = [
    a_client,
    an_archive,
    a_restore,
    a_session,
    a_signing,
    an_amendment,
    a_sheet,
    a_sheet_from_a_session,
    an_issue,
    a_new_version,
]


@pytest.mark.parametrize("make", WRITES, ids=[make.__name__ for make in WRITES])
def test_a_retry_is_answered_the_same_and_done_once(
    api_as_practitioner, practitioner, client_record, make
):
    write = make(practitioner, client_record)
    before = write.done()
    first = send(api_as_practitioner, write.url, write.body)
    after = write.done()
    again = send(api_as_practitioner, write.url, write.body)

    assert first.status_code == write.status, first.json()
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert after != before
    assert write.done() == after


def test_a_retry_that_orders_its_fields_differently_is_the_same_request(api_as_practitioner):
    first = send(api_as_practitioner, CLIENTS, {"first_name": "Priya", "last_name": "Shah"})
    again = send(api_as_practitioner, CLIENTS, {"last_name": "Shah", "first_name": "Priya"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert Client.objects.count() == 1


def test_the_same_key_with_another_body_answers_422_and_saves_nothing(api_as_practitioner):
    send(api_as_practitioner, CLIENTS, PRIYA)
    response = send(api_as_practitioner, CLIENTS, {**PRIYA, "first_name": "Asha"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert "different request body" in response.json()["detail"]
    assert list(Client.objects.values_list("first_name", flat=True)) == ["Priya"]


def test_the_same_key_on_another_path_answers_422_and_does_nothing(
    api_as_practitioner, client_record
):
    send(api_as_practitioner, CLIENTS, PRIYA)
    response = send(api_as_practitioner, f"{CLIENTS}{client_record.pk}/archive/")
    assert response.status_code == 422
    assert response.json()["detail"].startswith(
        f"This Idempotency-Key was used for POST {CLIENTS}, not POST {CLIENTS}"
    )
    client_record.refresh_from_db()
    assert not client_record.archived


def test_another_users_same_key_is_their_own(api_as_practitioner, colleague):
    theirs_api = APIClient()
    theirs_api.force_authenticate(colleague.user)
    asha = {**PRIYA, "first_name": "Asha"}
    mine = send(api_as_practitioner, CLIENTS, PRIYA)
    theirs = send(theirs_api, CLIENTS, asha)
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert not theirs.has_header("Idempotent-Replayed")
    assert send(api_as_practitioner, CLIENTS, PRIYA).json() == mine.json()
    assert send(theirs_api, CLIENTS, asha).json() == theirs.json()
    assert sorted(Client.objects.values_list("first_name", flat=True)) == ["Asha", "Priya"]


def test_a_key_is_kept_24_hours_then_forgotten(api_as_practitioner, practitioner):
    send(api_as_practitioner, CLIENTS, PRIYA)
    kept = IdempotencyKey.objects.filter(user=practitioner.user, key=KEY)

    kept.update(created_at=timezone.now() - timedelta(hours=23, minutes=59))
    assert send(api_as_practitioner, CLIENTS, PRIYA)["Idempotent-Replayed"] == "true"

    kept.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))
    response = send(api_as_practitioner, CLIENTS, {**PRIYA, "first_name": "Asha"})
    assert response.status_code == 201
    assert not response.has_header("Idempotent-Replayed")
    assert sorted(Client.objects.values_list("first_name", flat=True)) == ["Asha", "Priya"]
    assert json.loads(kept.get().response_body) == response.json()


def test_a_refused_request_keeps_no_key_so_it_can_be_corrected(api_as_practitioner):
    refused = send(api_as_practitioner, CLIENTS, {"first_name": "Priya"})
    assert refused.status_code == 400
    assert "last_name" in refused.json()
    assert not IdempotencyKey.objects.exists()

    corrected = send(api_as_practitioner, CLIENTS, PRIYA)
    again = send(api_as_practitioner, CLIENTS, PRIYA)
    assert (corrected.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert Client.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\tkey", "clé", '"quoted\x7f"'])
def test_a_key_is_1_to_255_printable_ascii_characters(api_as_practitioner, key):
    response = send(api_as_practitioner, CLIENTS, PRIYA, key=key)
    assert response.status_code == 400
    assert "1 to 255 printable ASCII characters" in response.json()["detail"]
    assert not Client.objects.exists()


def test_a_key_sent_as_a_structured_field_string_is_the_same_key(api_as_practitioner):
    send(api_as_practitioner, CLIENTS, PRIYA, key=f'"{KEY}"')
    again = send(api_as_practitioner, CLIENTS, PRIYA, key=KEY)
    assert again["Idempotent-Replayed"] == "true"
    assert Client.objects.count() == 1


def test_without_a_key_every_request_runs_as_before(api_as_practitioner):
    answers = [send(api_as_practitioner, CLIENTS, PRIYA, key=None) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert not any(a.has_header("Idempotent-Replayed") for a in answers)
    assert Client.objects.count() == 2
    assert not IdempotencyKey.objects.exists()

    keyed = [send(api_as_practitioner, CLIENTS, PRIYA) for _ in range(2)]
    assert keyed[1]["Idempotent-Replayed"] == "true"
    assert Client.objects.count() == 3


def test_a_key_left_unanswered_by_a_request_that_died_is_taken_over(
    api_as_practitioner, practitioner
):
    # A worker killed mid-request: its transaction never committed, so its write is gone
    # and its key's row, made first, has no answer and no lock.
    IdempotencyKey.objects.create(
        user=practitioner.user,
        key=KEY,
        method="POST",
        path=CLIENTS,
        request_sha256=body_sha256(PRIYA, scope=str(practitioner.clinic_id)),
    )
    response = send(api_as_practitioner, CLIENTS, PRIYA)
    assert response.status_code == 201
    assert not response.has_header("Idempotent-Replayed")
    assert Client.objects.count() == 1
    kept = IdempotencyKey.objects.get()
    assert (kept.response_status, json.loads(kept.response_body)) == (201, response.json())


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite writes one transaction at a time: there a retry waits and is replayed",
)
def test_a_retry_while_the_first_is_still_running_answers_409(practitioner, client_record):
    """Another edit holds the client's lock, so whichever archive request takes the key
    first waits inside its work; the other, with the same key, is refused at once."""
    url = f"{CLIENTS}{client_record.pk}/archive/"
    held, release = threading.Event(), threading.Event()
    start, answers = threading.Barrier(2), queue.Queue()

    def hold_the_client():
        try:
            with transaction.atomic():
                Client.objects.select_for_update().get(pk=client_record.pk)
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def archive():
        try:
            api = APIClient()
            api.force_authenticate(practitioner.user)
            start.wait()
            answers.put(send(api, url))
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_client)
    holder.start()
    requests = [threading.Thread(target=archive) for _ in range(2)]
    try:
        assert held.wait(timeout=30)
        for thread in requests:
            thread.start()
        refused = answers.get(timeout=30)
    finally:
        release.set()
        for thread in [holder, *requests]:
            thread.join()
    done = answers.get_nowait()

    assert refused.status_code == 409, refused.content
    assert refused.json() == {"detail": KeyInFlight.default_detail}
    assert done.status_code == 200, done.content
    assert done.json()["archived"] is True
    assert client_record.history.count() == 2  # made, then archived once
    assert IdempotencyKey.objects.get().response_status == 200
    retry = APIClient()
    retry.force_authenticate(practitioner.user)
    assert send(retry, url)["Idempotent-Replayed"] == "true"


def test_the_schema_documents_the_header_on_each_idempotent_write(api_as_practitioner):
    paths = api_as_practitioner.get("/api/schema/", {"format": "json"}).json()["paths"]
    documented = {
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if any(
            parameter["in"] == "header" and parameter["name"] == "Idempotency-Key"
            for parameter in operation.get("parameters", [])
        )
    }
    assert documented == {
        ("POST", "/api/v1/clients/"),
        ("POST", "/api/v1/clients/{id}/archive/"),
        ("POST", "/api/v1/clients/{id}/restore/"),
        ("POST", "/api/v1/sessions/"),
        ("POST", "/api/v1/sessions/{id}/sign/"),
        ("POST", "/api/v1/sessions/{id}/amend/"),
        ("POST", "/api/v1/homecare-sheets/"),
        ("POST", "/api/v1/homecare-sheets/{id}/issue/"),
        ("POST", "/api/v1/homecare-sheets/{id}/new-version/"),
        ("POST", "/api/v1/appointments/"),
        ("POST", "/api/v1/appointments/{id}/status/"),
        ("POST", "/api/v1/appointment-types/"),
        ("POST", "/api/v1/rooms/"),
        ("POST", "/api/v1/working-hours/"),
        ("POST", "/api/v1/plans/"),
    }
