"""HTTP to 127.0.0.1 only: one connection per thread, and each reply or failure (refused,
lost, timeout) as a Reply."""

import contextlib
import http.client
import json
import re

from .common import HOST, REQUEST_TIMEOUT, now

ID_IN_PATH = re.compile(r"/\d+(?=/|$)")


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
