"""Soak test: concurrent writers and readers against gunicorn, with the server SIGKILLed
and restarted mid-write, then a check of the database for every acknowledged write.

Run (from the repository root):
    .venv/bin/python scripts/soak.py            # SQLite: 8 writers, 4 readers, 30 s, 5 kills
    .venv/bin/python scripts/soak.py --postgres postgres://postgres@127.0.0.1:54332/
    .venv/bin/python scripts/soak.py --seconds 10 --kills 2 --json

What it does:
- makes a fresh database (SQLite in a temporary folder, or `soak_<random>` in the
  PostgreSQL server given), migrates it, loads the catalogue and the demo data;
- runs the README's production recipe, `gunicorn config.wsgi --workers 3`, bound to
  127.0.0.1 on a free port only, with debug off and a random secret key;
- writers (threads) create clients and record sessions through the API, each with a unique
  marker and an Idempotency-Key (a create whose reply was lost is retried with the same key
  and body), and append their own token to the health history of a few shared clients by
  read-modify-write (GET, then PATCH with If-Match: the ETag; a 412 is a stale write
  refused: re-read and retry);
- readers (threads) read lists and details through the API, and one reads the client page
  with a logged-in session cookie;
- M times, at spread-out moments while a write is in flight, SIGKILLs gunicorn's whole
  process group, starts it again on the same port and waits until it answers;
- at the end stops the server and reads the database directly: writes acknowledged and
  found, duplicates by marker, errors by status, stale writes refused, silent lost updates
  (acknowledged appends missing from the final text) and the integrity check.

Traffic goes to 127.0.0.1 only. Everything it starts is stopped at the end, on Ctrl+C or on
an error; the database is removed unless --keep. Exit status 0 when every target is met
(no 5xx, no acknowledged write missing, no duplicate, no silent lost update, integrity ok).
"""

import argparse
import atexit
import contextlib
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"  # the only address this script sends traffic to

REQUEST_TIMEOUT = 30  # seconds for one HTTP request
READY_TRIES = 300  # polls of the login page after a (re)start ...
READY_WAIT = 0.1  # ... this far apart
KILL_GRACE = 1.0  # a connection failure this long after the server is back still counts
MIN_UP = 2.0  # seconds the server answers between one restart and the next kill
DRAIN_SECONDS = 30  # after the run: time to finish writes in flight (retries of lost replies)
MAX_EDIT_TRIES = 30  # read-modify-write attempts for one append
MAX_5XX_RETRIES = 3
SHARED_CLIENTS = 3
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
ID_IN_PATH = re.compile(r"/\d+(?=/|$)")


def now():
    return time.monotonic()


# --- processes we start, stopped whatever happens -------------------------------------------


class Server:
    """gunicorn as the README runs it, in its own session so one killpg stops it all."""

    def __init__(self, env, port, log_path):
        self.env = env
        self.port = port
        self.log_path = log_path
        self.proc = None
        self.starts = 0

    def start(self):
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                [str(GUNICORN), "config.wsgi", "--workers", "3", "--bind", f"{HOST}:{self.port}"],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        finally:
            log.close()
        self.starts += 1

    def wait_ready(self):
        """Poll the login page until it answers 200; False after READY_TRIES, or once it
        has answered 5xx twenty times."""
        server_errors = 0
        for _ in range(READY_TRIES):
            if self.proc.poll() is not None:
                return False
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return True
                server_errors += status >= 500
                if server_errors >= 20:
                    return False
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(READY_WAIT)
        return False

    def _group_alive(self, pgid):
        """Is any process of the group still running? A zombie (killed, not yet reaped by
        init) holds no socket and does not count."""
        proc = Path("/proc")
        if not proc.is_dir():
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return False
            return True
        for stat in proc.glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                return True
        return False

    def kill(self, sig=signal.SIGKILL, wait=10.0):
        """Signal the whole process group (master and workers) and wait for it to go."""
        if self.proc is None:
            return
        pgid = self.proc.pid  # start_new_session: the group id is the master's pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, sig)
        try:
            self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        deadline = now() + 5
        while self._group_alive(pgid) and now() < deadline:  # the workers, reaped by init
            time.sleep(0.05)
        if self._group_alive(pgid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        self.proc = None

    def stop(self):
        """Graceful stop (SIGTERM to the group), SIGKILL if it lingers."""
        self.kill(signal.SIGTERM, wait=15.0)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- the database ---------------------------------------------------------------------------


class SqliteDatabase:
    kind = "sqlite"

    def __init__(self, workdir):
        self.path = Path(workdir) / "soak.db"
        self.url = f"sqlite:///{self.path}"  # an absolute path: sqlite:////tmp/...
        self.label = str(self.path)

    def create(self):
        pass

    def drop(self):
        pass  # the file goes with the temporary folder

    def query(self, sql, params=()):
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def integrity(self):
        """PRAGMA integrity_check and foreign_key_check."""
        findings = []
        result = [row[0] for row in self.query("PRAGMA integrity_check")]
        if result != ["ok"]:
            findings.append("integrity_check: " + "; ".join(result[:5]))
        violations = self.query("PRAGMA foreign_key_check")
        if violations:
            findings.append(f"foreign_key_check: {len(violations)} rows, e.g. {violations[:3]}")
        checked = ["PRAGMA integrity_check", "PRAGMA foreign_key_check (every table)"]
        return checked, findings


class PostgresDatabase:
    kind = "postgresql"

    def __init__(self, server_url):
        import psycopg  # noqa: F401  (fail early if missing)

        parts = urlsplit(server_url)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("--postgres must point at a server on this machine (127.0.0.1)")
        self.name = "soak_" + secrets.token_hex(4)
        admin_db = parts.path.lstrip("/") or "postgres"
        self.admin_url = urlunsplit(parts._replace(path="/" + admin_db))
        self.url = urlunsplit(parts._replace(path="/" + self.name))
        self.label = f"{self.name} on {parts.hostname}:{parts.port or 5432}"
        self.created = False

    def _connect(self, url, **kwargs):
        import psycopg

        return psycopg.connect(url, connect_timeout=10, **kwargs)

    def create(self):
        with self._connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self):
        if not self.created:
            return
        with self._connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.created = False

    def query(self, sql, params=()):
        with self._connect(self.url) as conn:
            return conn.execute(sql.replace("?", "%s"), params or None).fetchall()

    def integrity(self):
        """amcheck on every index (and heap, PostgreSQL 14+) when the extension is there;
        every foreign key resolved by an anti-join, constraint by constraint."""
        checked, findings = [], []
        with self._connect(self.url, autocommit=True) as conn:
            try:
                conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
                have_amcheck = True
            except Exception as error:  # not installed on this server
                checked.append(f"amcheck not available ({str(error).strip()[:80]})")
                have_amcheck = False
            if have_amcheck:
                indexes = conn.execute(
                    "SELECT c.oid::regclass::text FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_am am ON am.oid = c.relam "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE am.amname = 'btree' AND n.nspname = 'public' AND i.indisvalid"
                ).fetchall()
                for (index,) in indexes:
                    try:
                        conn.execute("SELECT bt_index_check(%s::regclass, true)", (index,))
                    except Exception as error:
                        findings.append(f"bt_index_check({index}): {str(error).strip()[:200]}")
                checked.append(f"amcheck bt_index_check(heapallindexed) on {len(indexes)} indexes")
                has_heapam = conn.execute(
                    "SELECT 1 FROM pg_proc WHERE proname = 'verify_heapam'"
                ).fetchone()
                if has_heapam:
                    tables = conn.execute(
                        "SELECT c.oid::regclass::text FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE c.relkind = 'r' AND n.nspname = 'public'"
                    ).fetchall()
                    for (table,) in tables:
                        rows = conn.execute(
                            "SELECT blkno, offnum, msg FROM verify_heapam(%s::regclass) LIMIT 3",
                            (table,),
                        ).fetchall()
                        if rows:
                            findings.append(f"verify_heapam({table}): {rows}")
                    checked.append(f"amcheck verify_heapam on {len(tables)} tables")
            fks = conn.execute(
                "SELECT con.conname, con.conrelid::regclass::text, con.confrelid::regclass::text,"
                " array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)"
                "   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n"
                "   ORDER BY k.o),"
                " array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)"
                "   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n"
                "   ORDER BY k.o)"
                " FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace"
                " WHERE con.contype = 'f' AND n.nspname = 'public'"
            ).fetchall()
            for name, child, parent, columns, parent_columns in fks:
                present = " AND ".join(f'c."{c}" IS NOT NULL' for c in columns)
                match = " AND ".join(
                    f'p."{p}" = c."{c}"' for c, p in zip(columns, parent_columns, strict=True)
                )
                (orphans,) = conn.execute(
                    f"SELECT count(*) FROM {child} c WHERE {present} "
                    f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match})"
                ).fetchone()
                if orphans:
                    findings.append(f"foreign key {name}: {orphans} rows of {child} unresolved")
            checked.append(f"every foreign key resolves ({len(fks)} constraints)")
        return checked, findings


def manage(env, *args, timeout=600):
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


SETTINGS_SHIM = """# Written by scripts/soak.py: config.settings, static files collected here.
from config.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
# The same manifest (hashed names) as WhiteNoise's storage, without its compressed copies:
# the soak fetches no static files, and compressing them costs a minute on 2 cores.
STORAGES = {{
    **STORAGES,  # noqa: F405
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}},
}}
"""


def server_environment(database_url, workdir):
    """Production settings (debug off, a random key, 127.0.0.1 only). The changes from
    config.settings are for static files only: collected into the temporary folder (not the
    repository), with a manifest but not compressed."""
    shim = Path(workdir) / "soak_settings.py"
    shim.write_text(SETTINGS_SHIM.format(static_root=str(Path(workdir) / "staticfiles")))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PG"))
    }
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_DEBUG="0",
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="soak_settings",
        PYTHONPATH=str(workdir),
        PYTHONUNBUFFERED="1",
    )
    return env


# --- HTTP -----------------------------------------------------------------------------------


class Reply:
    __slots__ = ("status", "headers", "body", "failure", "started", "ended")

    def __init__(self, status=None, headers=None, body=b"", failure=None, started=0.0, ended=0.0):
        self.status = status
        self.headers = headers or {}
        self.body = body
        self.failure = failure  # None, "refused" (never sent), "lost" (reply lost), "timeout"
        self.started = started
        self.ended = ended

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def header(self, name):
        return self.headers.get(name.lower())


class Http:
    """One http.client connection to 127.0.0.1, reopened after any failure."""

    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.cookies = {}
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, dict | list):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        headers.setdefault("Accept", "application/json")
        started = now()
        sent = False
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
                self.conn.connect()
            sent = True
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            reply_headers = {k.lower(): v for k, v in response.getheaders()}
            for cookie in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.will_close:
                self.close()
            return Reply(response.status, reply_headers, data, None, started, now())
        except TimeoutError:
            self.close()
            return Reply(failure="timeout", started=started, ended=now())
        except ConnectionRefusedError:
            self.close()
            return Reply(failure="refused" if not sent else "lost", started=started, ended=now())
        except (OSError, http.client.HTTPException):
            self.close()
            return Reply(failure="lost" if sent else "refused", started=started, ended=now())

    def close(self):
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None


def route_of(method, path):
    return f"{method} {ID_IN_PATH.sub('/<id>', path.split('?', 1)[0])}"


# --- what the run saw -----------------------------------------------------------------------


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()  # (role, status)
        self.routes = Counter()  # (route, status or failure)
        self.errors = Counter()  # 5xx: (status, route)
        self.error_samples = {}
        self.client_errors = Counter()  # 4xx other than an edit's 412: (status, route)
        self.client_error_samples = {}
        self.failures_in_kills = Counter()  # kind
        self.failures_outside = Counter()  # (kind, route)
        self.failure_samples_outside = []
        self.kill_windows = []  # (killed at, answering again at)
        self.current_kill = None  # killed at, while the server is down
        self.acked_clients = []  # (marker, id, retried after a lost reply)
        self.acked_sessions = []  # (marker, id, points sent, retried)
        self.unknown = []  # (kind, marker): reply lost and never answered
        self.abandoned = []  # (kind, marker, why)
        self.retried_creates = 0  # creates resent with the same key after a lost reply
        self.replayed = 0  # answers marked Idempotent-Replayed: true
        self.acked_appends = set()  # (client id, token), PATCH answered 2xx
        self.seen_appends = set()  # (client id, token), reply lost, then found in a re-read
        self.stale_refused = 0  # 412 on an edit
        self.edits_given_up = 0
        self.inflight_writes = 0  # POST and PATCH requests sent and not yet answered

    def add(self, role, method, path, reply, *, expected=()):
        route = route_of(method, path)
        with self.lock:
            self.routes[(route, reply.failure or reply.status)] += 1
            if reply.failure:
                self.statuses[(role, reply.failure)] += 1
                if self._during_kill(reply.started, reply.ended):
                    self.failures_in_kills[reply.failure] += 1
                else:
                    self.failures_outside[(reply.failure, route)] += 1
                    if len(self.failure_samples_outside) < 5:
                        self.failure_samples_outside.append((reply.failure, route))
                return
            self.statuses[(role, reply.status)] += 1
            if reply.status >= 500:
                self.errors[(reply.status, route)] += 1
                self.error_samples.setdefault((reply.status, route), reply.body[:300])
            elif reply.status >= 400 and reply.status not in expected:
                self.client_errors[(reply.status, route)] += 1
                self.client_error_samples.setdefault((reply.status, route), reply.body[:300])

    def _during_kill(self, started, ended):
        if self.current_kill is not None and ended >= self.current_kill - 0.05:
            return True
        return any(
            started <= ready + KILL_GRACE and ended >= killed - 0.05
            for killed, ready in self.kill_windows
        )


# --- writers and readers --------------------------------------------------------------------


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
        pages = 1
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
                    path = f"/api/v1/clients/?page={rng.randint(1, pages)}"
                    reply = api.request("GET", path)
                    self.tally.add("reader", "GET", path, reply)
                    if reply.status == 200:
                        listing = reply.json() or {}
                        pages = max(1, -(-listing.get("count", 0) // 25))
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


# --- set-up probes --------------------------------------------------------------------------


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


# --- the run --------------------------------------------------------------------------------


def kill_schedule(seconds, kills, rng):
    """Spread-out moments, each jittered within its share of the run."""
    if kills <= 0:
        return []
    spacing = seconds / (kills + 1)
    return [spacing * (i + 1) + rng.uniform(-0.3, 0.3) * spacing for i in range(kills)]


def run_traffic(args, server, run, log):
    tally = run.tally
    threads = [
        threading.Thread(target=run.writer, args=(n,), name=f"writer-{n}", daemon=True)
        for n in range(args.writers)
    ] + [
        threading.Thread(target=run.reader, args=(n,), name=f"reader-{n}", daemon=True)
        for n in range(args.readers)
    ]
    rng = random.Random(args.seed)
    started = now()
    for thread in threads:
        thread.start()
    restarts = []
    try:
        for at in kill_schedule(args.seconds, args.kills, rng):
            time.sleep(max(0.0, started + at - now()))
            # After a restart give the server a moment up, then kill it mid-write.
            if restarts:
                time.sleep(max(0.0, tally.kill_windows[-1][1] + MIN_UP - now()))
            waited = now() + 3
            while tally.inflight_writes == 0 and now() < waited:
                time.sleep(0.01)
            with tally.lock:
                killed_at = now()
                tally.current_kill = killed_at
                inflight = tally.inflight_writes
            server.kill(signal.SIGKILL)
            gone_at = now()
            server.start()
            if not server.wait_ready():
                raise RuntimeError(f"gunicorn did not answer again after kill {len(restarts) + 1}")
            ready_at = now()
            with tally.lock:
                tally.kill_windows.append((killed_at, ready_at))
                tally.current_kill = None
            restarts.append(
                {
                    "at_s": round(killed_at - started, 1),
                    "writes_in_flight": inflight,
                    "down_s": round(ready_at - killed_at, 2),
                    "gone_s": round(gone_at - killed_at, 2),  # the old group reaped
                }
            )
            log(
                f"  kill {len(restarts)} at {killed_at - started:5.1f} s, "
                f"{inflight} writes on the wire, old processes gone after "
                f"{gone_at - killed_at:.1f} s, answering again after {ready_at - killed_at:.1f} s"
            )
        last_ready = tally.kill_windows[-1][1] if tally.kill_windows else started
        time.sleep(max(0.0, started + args.seconds - now(), last_ready + MIN_UP - now()))
    except BaseException:  # Ctrl+C or a failed restart: no drain, the caller cleans up
        run.stop_new.set()
        run.hard_stop.set()
        raise
    traffic_ended = now()
    run.stop_new.set()
    drain_until = now() + DRAIN_SECONDS
    for thread in threads:
        thread.join(timeout=max(0.1, drain_until - now()))
    run.hard_stop.set()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 5)
    still_running = [t.name for t in threads if t.is_alive()]
    return restarts, traffic_ended - started, now() - started, still_running


def check_database(db, run, excluded_markers):
    tally = run.tally
    client_rows = db.query("SELECT id, last_name FROM clinic_client WHERE last_name LIKE 'soak-%'")
    session_rows = db.query(
        "SELECT s.id, s.notes, (SELECT count(*) FROM treatment_sessions_treatedpoint p "
        "WHERE p.session_id = s.id) FROM treatment_sessions_treatmentsession s "
        "WHERE s.notes LIKE 'soak-%'"
    )
    clients_by_marker = defaultdict(set)
    for row_id, marker in client_rows:
        clients_by_marker[marker].add(row_id)
    sessions_by_marker = defaultdict(set)
    points_of = {}
    for row_id, marker, points in session_rows:
        sessions_by_marker[marker].add(row_id)
        points_of[row_id] = points

    missing = []
    for marker, row_id, _ in tally.acked_clients:
        if row_id not in clients_by_marker.get(marker, ()):
            missing.append(f"client {marker} (id {row_id})")
    wrong_points = []
    for marker, row_id, sent, _ in tally.acked_sessions:
        if row_id not in sessions_by_marker.get(marker, ()):
            missing.append(f"session {marker} (id {row_id})")
        elif points_of[row_id] != sent:
            wrong_points.append(f"session {marker}: {points_of[row_id]} points, {sent} sent")
    # Every soak session, acknowledged or not, must have its points: none has zero.
    pointless = [row_id for row_id, points in points_of.items() if points == 0]

    duplicates = {
        marker: len(ids)
        for by_marker in (clients_by_marker, sessions_by_marker)
        for marker, ids in by_marker.items()
        if len(ids) > 1 and marker not in excluded_markers
    }
    unknown_found = sum(
        1
        for kind, marker in tally.unknown
        if (kind == "client" and marker in clients_by_marker)
        or (kind == "session" and marker in sessions_by_marker)
    )

    final_text = {}
    for client_id in run.shared:
        ((text,),) = db.query("SELECT health_history FROM clinic_client WHERE id = ?", (client_id,))
        final_text[client_id] = set(text.split(";"))
    expected_appends = tally.acked_appends | tally.seen_appends
    lost = sorted(
        f"{client_id}:{token}"
        for client_id, token in expected_appends
        if token not in final_text[client_id]
    )
    lost_acked = sum(1 for c, t in tally.acked_appends if t not in final_text[c])
    checked, findings = db.integrity()
    checked.append("every soak session has its points (and as many as were sent)")
    if pointless:
        findings.append(f"{len(pointless)} soak sessions without points")
    findings.extend(wrong_points[:5])
    return {
        "missing": missing,
        "missing_clients": sum(1 for m in missing if m.startswith("client ")),
        "missing_sessions": sum(1 for m in missing if m.startswith("session ")),
        "duplicates": duplicates,
        "unknown_found": unknown_found,
        "lost_updates": lost,
        "lost_acknowledged_appends": lost_acked,
        "integrity_checked": checked,
        "integrity_findings": findings,
        "rows": {"soak_clients": len(client_rows), "soak_sessions": len(session_rows)},
    }


def server_log_summary(path):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return {"tracebacks": 0, "worker_timeouts": 0, "internal_server_errors": 0, "samples": []}
    lines = text.splitlines()
    samples = []
    for index, line in enumerate(lines):
        if line.startswith("Traceback") and len(samples) < 3:
            # The exception line closes the traceback.
            end = next(
                (j for j in range(index + 1, len(lines)) if not lines[j].startswith(" ")),
                index,
            )
            samples.append(lines[end][:300])
    return {
        "tracebacks": text.count("Traceback (most recent call last)"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "internal_server_errors": text.count("Internal Server Error"),
        "samples": samples,
    }


def summarise(args, db, features, run, restarts, traffic_s, total_s, stragglers, check, log_sum):
    t = run.tally
    statuses = Counter()
    for (_, status), count in t.statuses.items():
        statuses[str(status)] += count
    acked = len(t.acked_clients) + len(t.acked_sessions) + len(t.acked_appends)
    found = acked - len(check["missing"]) - check["lost_acknowledged_appends"]
    errors = sum(t.errors.values())
    outside = sum(t.failures_outside.values())
    integrity_ok = not check["integrity_findings"]
    result = {
        "database": db.kind,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "settings": {
            "writers": args.writers,
            "readers": args.readers,
            "seconds": args.seconds,
            "kills": args.kills,
        },
        "features": {**features, "etag_seen_in_run": run.etag_seen.is_set()},
        "traffic_seconds": round(traffic_s, 1),
        "total_seconds": round(total_s, 1),
        "requests": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())),
        "requests_by_route": {
            f"{route} {status}": count
            for (route, status), count in sorted(t.routes.items(), key=str)
        },
        "writes_acknowledged": acked,
        "writes_acknowledged_by_kind": {
            "clients": len(t.acked_clients),
            "sessions": len(t.acked_sessions),
            "appends": len(t.acked_appends),
        },
        "writes_found": found,
        "writes_found_by_kind": {
            "clients": len(t.acked_clients) - check["missing_clients"],
            "sessions": len(t.acked_sessions) - check["missing_sessions"],
            "appends": len(t.acked_appends) - check["lost_acknowledged_appends"],
        },
        # Created rows acknowledged and not in the database; an acknowledged append that was
        # written over is a silent lost update (below), not counted here.
        "acknowledged_missing": len(check["missing"]),
        "acknowledged_missing_samples": check["missing"][:5],
        "retried_creates_after_lost_reply": t.retried_creates,
        "replayed_answers": t.replayed,
        "unknown_writes": len(t.unknown),
        "unknown_writes_found_saved": check["unknown_found"],
        "writes_abandoned": len(t.abandoned),
        "writes_abandoned_samples": t.abandoned[:5],
        "duplicates": sum(n - 1 for n in check["duplicates"].values()),
        "duplicate_samples": dict(list(check["duplicates"].items())[:5]),
        "errors_5xx": errors,
        "errors_by_status": {
            f"{status} {route}": count for (status, route), count in sorted(t.errors.items())
        },
        "error_samples": {
            f"{status} {route}": body.decode(errors="replace")
            for (status, route), body in t.error_samples.items()
        },
        "client_errors_4xx": {
            f"{status} {route}": count for (status, route), count in sorted(t.client_errors.items())
        },
        "client_error_samples": {
            f"{status} {route}": body.decode(errors="replace")
            for (status, route), body in t.client_error_samples.items()
        },
        "stale_writes_refused": t.stale_refused,
        "appends_acknowledged": len(t.acked_appends),
        "appends_seen_after_lost_reply": len(t.seen_appends),
        "edits_given_up": t.edits_given_up,
        "silent_lost_updates": len(check["lost_updates"]),
        "silent_lost_update_samples": check["lost_updates"][:5],
        "connection_failures_during_kills": dict(t.failures_in_kills),
        "connection_failures_outside_kills": outside,
        "connection_failures_outside_samples": t.failure_samples_outside,
        "kills": restarts,
        "integrity_ok": integrity_ok,
        "integrity_checked": check["integrity_checked"],
        "integrity_findings": check["integrity_findings"],
        "server_log": log_sum,
        "threads_still_running": stragglers,
        "rows": check["rows"],
    }
    result["targets_met"] = (
        errors == 0
        and result["acknowledged_missing"] == 0
        and result["duplicates"] == 0
        and result["silent_lost_updates"] == 0
        and integrity_ok
        and len(restarts) == args.kills
    )
    return result


def print_table(r):
    s = r["settings"]
    kinds = r["writes_acknowledged_by_kind"]
    found = r["writes_found_by_kind"]
    f = r["features"]
    kills = r["kills"]
    during = r["connection_failures_during_kills"]
    rows = [
        ("database", r["database"]),
        (
            "run",
            f"{s['writers']} writers, {s['readers']} readers, {s['seconds']} s, "
            f"{s['kills']} kills ({r['traffic_seconds']} s of traffic, {r['total_seconds']} s "
            "with the drain)",
        ),
        ("machine", f"{r['machine']}; {r['date']}"),
        (
            "Idempotency-Key",
            ("honoured" if f["idempotency_key_replayed"] else "NOT honoured")
            + f" ({f['idempotency_probe']})",
        ),
        (
            "ETag / If-Match",
            ("ETag on detail" if f["etag_on_detail"] else "no ETag header")
            + ", "
            + (
                "stale If-Match refused (412)"
                if f["stale_if_match_refused"]
                else "stale If-Match NOT refused"
            )
            + ("" if f["etag_on_detail"] else ": optimistic concurrency not available"),
        ),
        (
            "requests",
            f"{r['requests']} " + ", ".join(f"{k}: {v}" for k, v in r["statuses"].items()),
        ),
        (
            "writes acknowledged",
            f"{r['writes_acknowledged']} ({kinds['clients']} clients, {kinds['sessions']} "
            f"sessions, {kinds['appends']} appends)",
        ),
        (
            "writes found",
            f"{r['writes_found']} ({found['clients']} clients, {found['sessions']} sessions, "
            f"{found['appends']} appends still in the text)",
        ),
        ("acknowledged missing", f"{r['acknowledged_missing']} (created rows not in the database)"),
        (
            "lost replies",
            f"{r['retried_creates_after_lost_reply']} creates resent with the same key "
            f"({r['replayed_answers']} answers replayed); "
            f"{r['unknown_writes']} never answered "
            f"({r['unknown_writes_found_saved']} found saved); "
            f"{r['writes_abandoned']} refused or abandoned",
        ),
        ("duplicates", r["duplicates"]),
        (
            "errors (5xx)",
            r["errors_5xx"]
            if not r["errors_by_status"]
            else f"{r['errors_5xx']}: "
            + "; ".join(f"{k} x{v}" for k, v in r["errors_by_status"].items()),
        ),
        (
            "other 4xx",
            "none"
            if not r["client_errors_4xx"]
            else "; ".join(f"{k} x{v}" for k, v in r["client_errors_4xx"].items()),
        ),
        ("stale writes refused", f"{r['stale_writes_refused']} (412)"),
        (
            "silent lost updates",
            f"{r['silent_lost_updates']} of "
            f"{r['appends_acknowledged'] + r['appends_seen_after_lost_reply']} appends "
            f"({r['edits_given_up']} edits gave up)",
        ),
        (
            "conn. failures in kills",
            ", ".join(f"{k} {v}" for k, v in sorted(during.items())) or "0",
        ),
        ("conn. failures outside", r["connection_failures_outside_kills"]),
        (
            "kills",
            f"{len(kills)}: "
            + ", ".join(
                f"{k['at_s']} s ({k['writes_in_flight']} writes on the wire, {k['down_s']} s down)"
                for k in kills
            ),
        ),
        (
            "integrity",
            ("ok" if r["integrity_ok"] else "FAILED: " + "; ".join(r["integrity_findings"]))
            + " ("
            + "; ".join(r["integrity_checked"])
            + ")",
        ),
        (
            "server log",
            f"{r['server_log']['tracebacks']} tracebacks, "
            f"{r['server_log']['worker_timeouts']} worker timeouts",
        ),
        ("targets", "MET" if r["targets_met"] else "NOT MET"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for key, body in {**r["error_samples"], **r["client_error_samples"]}.items():
        print(f"  sample {key}: {body[:200]}")
    for sample in r["server_log"]["samples"]:
        print(f"  server log: {sample}")
    if r["acknowledged_missing_samples"]:
        print("  missing: " + ", ".join(r["acknowledged_missing_samples"]))
    if r["duplicate_samples"]:
        print("  duplicated: " + ", ".join(f"{m} x{n}" for m, n in r["duplicate_samples"].items()))
    if r["silent_lost_update_samples"]:
        print("  lost appends (client:token): " + ", ".join(r["silent_lost_update_samples"]))
    if r["connection_failures_outside_samples"]:
        print(f"  failures outside kills: {r['connection_failures_outside_samples']}")
    if r["threads_still_running"]:
        print(f"  threads still running at the end: {r['threads_still_running']}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server (default: SQLite)")
    parser.add_argument("--keep", action="store_true", help="leave the database and log behind")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument("--seed", type=int, default=None, help="seed for the kill moments")
    args = parser.parse_args()
    if args.writers < 1 or args.readers < 0 or args.seconds <= 0 or args.kills < 0:
        parser.error("need at least one writer, and positive seconds")

    def log(message):
        print(message, file=sys.stderr, flush=True)

    workdir = tempfile.mkdtemp(prefix="soak-")
    db = PostgresDatabase(args.postgres) if args.postgres else SqliteDatabase(workdir)
    server = None
    cleaned = []

    def cleanup():
        if cleaned:
            return
        cleaned.append(True)
        if server is not None:
            server.kill(signal.SIGKILL)
        if args.keep:
            log(f"kept: database {db.label}, server log {workdir}/gunicorn.log")
            return
        try:
            db.drop()
        except Exception as error:
            log(f"could not drop {db.label}: {error}")
        shutil.rmtree(workdir, ignore_errors=True)

    atexit.register(cleanup)

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    try:
        log(f"database: {db.kind} {db.label}")
        db.create()
        env = server_environment(db.url, workdir)
        password = secrets.token_urlsafe(12)
        log("migrate, load_catalogue, seed_demo, collectstatic")
        manage(env, "migrate", "--noinput")
        manage(env, "load_catalogue")
        manage(env, "seed_demo", "--password", password)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")

        port = free_port()
        server = Server(env, port, Path(workdir) / "gunicorn.log")
        server.start()
        if not server.wait_ready():
            raise RuntimeError(
                "gunicorn did not start:\n" + Path(server.log_path).read_text()[-2000:]
            )
        log(f"gunicorn on {HOST}:{port}")
        tokens = [get_token(port, name, password) for name in ("ana", "ben")]
        features = probe_features(port, tokens[0])
        shared = [
            make_client(port, tokens[0], f"soak-shared-{n}") for n in range(1, SHARED_CLIENTS + 1)
        ]
        listing = api_call(port, tokens[0], "GET", "/api/v1/clients/").json()
        seed_clients = [row["id"] for row in listing["results"]]

        run = Run(args, port, tokens, shared, seed_clients, password)
        log(
            f"running {args.writers} writers and {args.readers} readers for {args.seconds:g} s, "
            f"{args.kills} kills"
        )
        restarts, traffic_s, total_s, stragglers = run_traffic(args, server, run, log)
        server.stop()
        server = None

        check = check_database(
            db, run, excluded_markers={"soak-probe-idempotency", "soak-probe-etag"}
        )
        log_sum = server_log_summary(Path(workdir) / "gunicorn.log")
        result = summarise(
            args, db, features, run, restarts, traffic_s, total_s, stragglers, check, log_sum
        )
        print_table(result)
        if args.json:
            print(json.dumps(result, indent=2, default=str))
        return 0 if result["targets_met"] else 1
    finally:
        cleanup()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # main's finally has stopped the server and cleaned up
        print("interrupted: everything started was stopped", file=sys.stderr)
        sys.exit(130)
