"""What the run saw, shared by every thread under one lock."""

import threading
from collections import Counter

from .common import KILL_GRACE
from .http_client import route_of


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
