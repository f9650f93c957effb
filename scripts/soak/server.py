"""The Django side of the soak: production settings, manage.py run with them, and
gunicorn as the README runs it. Every process started here is stopped whatever happens
(the caller's cleanup kills the server)."""

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

from .common import GUNICORN, HOST, PYTHON, READY_TRIES, READY_WAIT, ROOT, now


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
        DJANGO_HTTPS="0",  # plain HTTP on loopback, no TLS proxy in front
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="soak_settings",
        PYTHONPATH=str(workdir),
        PYTHONUNBUFFERED="1",
    )
    return env


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
