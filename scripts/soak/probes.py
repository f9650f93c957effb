"""Set-up calls before the run: tokens, the shared clients, and whether the API honours
Idempotency-Key and If-Match."""

import uuid

from .http_client import Http


def api_call(port, token, method, path, body=None, headers=None):
    reply = Http(port, token).request(method, path, body, headers)
    if reply.failure:
        raise RuntimeError(f"{method} {path}: {reply.failure}")
    return reply


def get_token(port, username, password):
    reply = api_call(
        port, None, "POST", "/api/v1/auth/token/", {"username": username, "password": password}
    )
    if reply.status != 200:
        raise RuntimeError(f"token for {username}: {reply.status} {reply.body[:200]!r}")
    return reply.json()["token"]


def make_client(port, token, last_name, history=""):
    reply = api_call(
        port,
        token,
        "POST",
        "/api/v1/clients/",
        {"first_name": "Soak", "last_name": last_name, "health_history": history},
    )
    if reply.status != 201:
        raise RuntimeError(f"creating {last_name}: {reply.status} {reply.body[:200]!r}")
    return reply.json()["id"]


def probe_features(port, token):
    """Does the API honour Idempotency-Key and If-Match yet? Reported, not required."""
    found = {}
    body = {"first_name": "Soak", "last_name": "soak-probe-idempotency"}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api_call(port, token, "POST", "/api/v1/clients/", body, key)
    second = api_call(port, token, "POST", "/api/v1/clients/", body, key)
    first_id = (first.json() or {}).get("id")
    second_id = (second.json() or {}).get("id")
    found["idempotency_key_replayed"] = (
        first.status == 201 and second.status < 300 and first_id == second_id
    )
    found["idempotency_probe"] = (
        f"same key twice: {first.status} id {first_id}, then {second.status} id {second_id}"
    )

    client_id = make_client(port, token, "soak-probe-etag")
    path = f"/api/v1/clients/{client_id}/"
    read = api_call(port, token, "GET", path)
    etag = read.header("ETag")
    found["etag_on_detail"] = bool(etag)
    # A real ETag made stale by a change in between: the second PATCH must be refused.
    match = {"If-Match": etag} if etag else {}
    first = api_call(port, token, "PATCH", path, {"phone": "01632 960 998"}, match)
    stale = api_call(port, token, "PATCH", path, {"phone": "01632 960 999"}, match)
    found["stale_if_match_refused"] = bool(etag) and stale.status == 412
    found["etag_probe"] = (
        f"GET detail ETag {etag!r}; PATCH with it {first.status}, "
        f"again with the same (now stale) ETag {stale.status}"
    )
    return found
