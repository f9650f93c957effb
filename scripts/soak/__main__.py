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
import json
import secrets
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from .checks import check_database, server_log_summary
from .common import HOST, SHARED_CLIENTS
from .database import PostgresDatabase, SqliteDatabase
from .kills import run_traffic
from .probes import api_call, get_token, make_client, probe_features
from .report import print_table, summarise
from .server import Server, free_port, manage, server_environment
from .traffic import Run


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
        manage(env, "seed_demo", f"--password={password}")  # it may start with "-"
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
