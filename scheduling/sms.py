"""Text messages: a small backend interface, as Django's mail has. SMS_BACKEND names the
class (the console by default, `scheduling.sms.LocmemBackend` in tests); a provider's
backend implements `send(to, body)` and raises SmsFailed when the message did not go."""

import sys

from django.conf import settings
from django.utils.module_loading import import_string

outbox: list[tuple[str, str]] = []  # what LocmemBackend sent, for tests


class SmsFailed(Exception):
    pass


class BaseBackend:
    def send(self, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, to: str, body: str) -> None:
        sys.stdout.write(f"SMS to {to}: {body}\n")
        sys.stdout.flush()


class LocmemBackend(BaseBackend):
    def send(self, to: str, body: str) -> None:
        outbox.append((to, body))


def send_sms(to: str, body: str) -> None:
    import_string(settings.SMS_BACKEND)().send(to, body)
