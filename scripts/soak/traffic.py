"""The writer and reader threads. Writers create clients and sessions with an
Idempotency-Key and append to shared clients by read-modify-write with If-Match; readers
read lists, details and the client page."""

import json
import random
import re
import threading
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

from .common import MAX_5XX_RETRIES, MAX_EDIT_TRIES
from .http_client import Http
from .tally import Tally

SESSION_POINTS = [
    [
        {"point": "LI4", "side": "both", "pressure": "moderate", "response": "relief"},
        {"point": "PC6", "side": "left", "pressure": "light"},
    ],
    [
        {"point": "GB20", "side": "both", "pressure": "firm"},
        {"point": "LR3", "side": "right", "pressure": "moderate", "duration_seconds": 90},
        {"point": "KI1", "side": "both", "pressure": "light"},
    ],
    [{"point": "SI3", "side": "both", "pressure": "moderate", "response": "tender"}],
]


class Run:
    def __init__(self, args, port, tokens, shared, seed_clients, password):
        self.args = args
        self.port = port
        self.tokens = tokens
        self.shared = shared
        self.seed_clients = seed_clients
        self.password = password
        self.tally = Tally()
        self.stop_new = threading.Event()  # no new operations
        self.hard_stop = threading.Event()  # give up retrying too
        self.etag_seen = threading.Event()  # a writer's GET of a shared client had an ETag

    def wait_a_little(self, seconds=0.1):
        time.sleep(seconds * (0.5 + random.random()))

    # writers

    def writer(self, number):
        rng = random.Random(number)
        http_ = Http(self.port, self.tokens[number % len(self.tokens)])
        state = {"seq": 0, "own_clients": []}
        try:
            while not self.stop_new.is_set():
                roll = rng.random()
                if roll < 0.35 or not state["own_clients"]:
                    self.create_client(http_, number, state)
                elif roll < 0.70:
                    self.record_session(http_, number, state, rng)
                else:
                    self.append_edit(http_, number, state, rng.choice(self.shared))
        finally:
            http_.close()

    def send_write(self, http_, method, path, body, headers):
        """A POST or PATCH, counted while it is on the wire (the kills wait for one)."""
        with self.tally.lock:
            self.tally.inflight_writes += 1
        try:
            return http_.request(method, path, body, headers)
        finally:
            with self.tally.lock:
                self.tally.inflight_writes -= 1

    def marker(self, number, state):
        state["seq"] += 1
        return f"soak-w{number}-{state['seq']:05d}"

    def create(self, http_, path, body, marker, kind):
        """POST with an Idempotency-Key; a lost reply is resent with the same key and body.
        Returns (the created id or None, whether the reply to an earlier try was lost)."""
        tally = self.tally
        key = str(uuid.uuid4())
        data = json.dumps(body).encode()
        headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
        maybe_saved = False
        server_errors = conflicts = 0
        while True:
            if self.hard_stop.is_set():
                with tally.lock:
                    if maybe_saved:
                        tally.unknown.append((kind, marker))
                    else:
                        tally.abandoned.append((kind, marker, "run ended"))
                return None, maybe_saved
            reply = self.send_write(http_, "POST", path, data, headers)
            tally.add("writer", "POST", path, reply)
            if reply.failure:
                if reply.failure != "refused" and not maybe_saved:
                    maybe_saved = True
                    with tally.lock:
                        tally.retried_creates += 1
                self.wait_a_little()
                continue
            if 200 <= reply.status < 300:
                if (reply.header("Idempotent-Replayed") or "").lower() == "true":
                    with tally.lock:
                        tally.replayed += 1
                created = reply.json() or {}
                return created.get("id"), maybe_saved
            if reply.status >= 500 and server_errors < MAX_5XX_RETRIES:
                server_errors += 1
                self.wait_a_little(0.3)
                continue
            if reply.status == 409 and maybe_saved and conflicts < 10:
                conflicts += 1  # the key's first request may still be in progress
                self.wait_a_little(0.5)
                continue
            with tally.lock:
                if maybe_saved:
                    tally.unknown.append((kind, marker))
                else:
                    tally.abandoned.append((kind, marker, f"answered {reply.status}"))
            return None, maybe_saved

    def create_client(self, http_, number, state):
        marker = self.marker(number, state)
        body = {
            "first_name": "Soak",
            "last_name": marker,
            "phone": f"07700 9{number:02d}{state['seq'] % 1000:03d}",
            "health_history": f"Made by the soak test, writer {number}.",
        }
        client_id, retried = self.create(http_, "/api/v1/clients/", body, marker, "client")
        if client_id is not None:
            with self.tally.lock:
                self.tally.acked_clients.append((marker, client_id, retried))
            state["own_clients"].append(client_id)

    def record_session(self, http_, number, state, rng):
        marker = self.marker(number, state)
        points = rng.choice(SESSION_POINTS)
        body = {
            "client": rng.choice(state["own_clients"][-5:]),
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "complaint": "Soak test",
            "pain_before": rng.randint(3, 9),
            "pain_after": rng.randint(0, 3),
            "outcome": "improved",
            "notes": marker,
            "points": points,
        }
        session_id, retried = self.create(http_, "/api/v1/sessions/", body, marker, "session")
        if session_id is not None:
            with self.tally.lock:
                self.tally.acked_sessions.append((marker, session_id, len(points), retried))

    def append_edit(self, http_, number, state, client_id):
        """Read-modify-write: append this writer's token to a shared client's history."""
        tally = self.tally
        state["seq"] += 1
        token = f"w{number}-{state['seq']}"
        path = f"/api/v1/clients/{client_id}/"
        reply_lost = False
        for _ in range(MAX_EDIT_TRIES):
            if self.hard_stop.is_set():
                break
            read = http_.request("GET", path)
            tally.add("writer", "GET", path, read)
            if read.failure or read.status != 200:
                self.wait_a_little()
                continue
            text = (read.json() or {}).get("health_history", "")
            if token in text.split(";"):
                # An earlier PATCH whose reply was lost had been saved.
                with tally.lock:
                    tally.seen_appends.add((client_id, token))
                return
            etag = read.header("ETag")
            if etag:
                self.etag_seen.set()
            headers = {"If-Match": etag} if etag else {}
            write = self.send_write(
                http_, "PATCH", path, {"health_history": text + token + ";"}, headers
            )
            tally.add("writer", "PATCH", path, write, expected=(412,))
            if write.failure:
                reply_lost = reply_lost or write.failure != "refused"
                self.wait_a_little()
                continue
            if 200 <= write.status < 300:
                with tally.lock:
                    tally.acked_appends.add((client_id, token))
                return
            if write.status == 412:
                with tally.lock:
                    tally.stale_refused += 1
                continue
            if write.status >= 500:
                self.wait_a_little(0.3)
                continue
            break  # another 4xx: counted, not retried
        with tally.lock:
            tally.edits_given_up += 1
            if reply_lost:
                tally.unknown.append(("append", f"{client_id}:{token}"))

    # readers

    def reader(self, number):
        rng = random.Random(1000 + number)
        api = Http(self.port, self.tokens[number % len(self.tokens)])
        page = Http(self.port) if number == 0 else None
        logged_in = False
        client_ids = list(self.seed_clients)
        session_ids = []
        next_page = None
        try:
            while not self.stop_new.is_set():
                roll = rng.random()
                if page is not None and roll < 0.15:
                    if not logged_in:
                        logged_in = self.log_in(page)
                        if not logged_in:
                            self.wait_a_little(0.5)
                        continue
                    path = f"/clients/{rng.choice(client_ids)}/"
                    reply = page.request("GET", path, headers={"Accept": "text/html"})
                    self.tally.add("reader", "GET", path, reply)
                    if reply.status == 302:  # session gone: log in again
                        logged_in = False
                elif roll < 0.40:
                    # Page by page through the client list (`next`), then from the start.
                    path = next_page or "/api/v1/clients/"
                    reply = api.request("GET", path)
                    self.tally.add("reader", "GET", path, reply)
                    next_page = None
                    if reply.status == 200:
                        listing = reply.json() or {}
                        if following := listing.get("next"):
                            parts = urlsplit(following)
                            next_page = f"{parts.path}?{parts.query}"
                        for row in listing.get("results", []):
                            if row.get("id") not in client_ids:
                                client_ids.append(row["id"])
                elif roll < 0.60:
                    path = f"/api/v1/clients/{rng.choice(client_ids)}/"
                    reply = api.request("GET", path)
                    self.tally.add("reader", "GET", path, reply)
                elif roll < 0.80 or not session_ids:
                    path = "/api/v1/sessions/"
                    reply = api.request("GET", path)
                    self.tally.add("reader", "GET", path, reply)
                    if reply.status == 200:
                        found = [row["id"] for row in (reply.json() or {}).get("results", [])]
                        session_ids = (found + session_ids)[:200]
                else:
                    path = f"/api/v1/sessions/{rng.choice(session_ids)}/"
                    reply = api.request("GET", path)
                    self.tally.add("reader", "GET", path, reply)
                if reply.failure:
                    self.wait_a_little()
        finally:
            api.close()
            if page is not None:
                page.close()

    def log_in(self, page):
        """The login form with its CSRF token, as a browser would; True when logged in."""
        page.cookies.clear()
        form = page.request("GET", "/accounts/login/", headers={"Accept": "text/html"})
        self.tally.add("reader", "GET", "/accounts/login/", form)
        if form.status != 200:
            return False
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        if not found:
            return False
        body = (
            f"username=ana&password={self.password}&csrfmiddlewaretoken={found.group(1).decode()}"
        ).encode()
        reply = page.request(
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"},
        )
        self.tally.add("reader", "POST", "/accounts/login/", reply)
        return reply.status == 302 and "sessionid" in page.cookies
