"""Paths, the one address this script sends traffic to, and the timings: shared by every
module of the soak."""

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


def now():
    return time.monotonic()
