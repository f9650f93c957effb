"""One throttle for every door: the web login, the admin login and the API token endpoint.

django-axes counts failed logins (its `AccessAttempt` rows) and refuses a locked-out
account in its authentication backend, which sits first in AUTHENTICATION_BACKENDS, so
every `authenticate(request, ...)` call is throttled the same. This module is what the
settings point axes at (see the comments beside AXES_* in config/settings.py):

- `lockout_key`: the username as authentication sees it, the one key for an account;
- `LoginThrottleHandler`: axes' database handler, plus the address rule (a noisy address
  waits a short, growing delay between failed logins, never locking out the others behind
  it), and the unwrapping of DRF's request so the token endpoint is answered like the rest;
- `lockout_response`: the answer to a refused login, the login page again (429, the typed
  username kept) or, under /api/, JSON `{"detail": ...}` (429); both with Retry-After;
- `current_lockouts` and `clear_lockout`, for the lockouts page.
"""

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone

ACCOUNT_LOCKED = (
    "Too many failed logins for this account. Try again in {wait}, or ask your clinic "
    "manager to clear the lockout."
)
ADDRESS_SLOWED = "Too many failed logins from your network. Try again in {wait}."


def lockout_key(request, credentials):
    """The username a login names, as authentication sees it: without surrounding
    whitespace, NFKC-normalised (fullwidth letters become plain ones) and case-folded.
    None when no username was given (axes then records nothing)."""
    if credentials is not None:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "data", request.POST).get("username")
    if typed is None:
        return None
    key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", str(typed)).casefold())
    # NUL cannot be stored in PostgreSQL text; no account name is longer than 150.
    key = key.replace("\x00", "").strip()[:150]
    return key or None


def _django_request(request):
    """The HttpRequest under DRF's Request: axes marks a refused login on the request it
    is given, and its middleware reads the mark from Django's."""
    request = getattr(request, "_request", request)
    AxesProxyHandler.update_request(request)
    return request


def _window_start(request):
    return request.axes_attempt_time - get_cool_off(request)


def address_wait(request) -> int | None:
    """Seconds the request's address must still wait before its next login, or None."""
    address = request.axes_ip_address
    if not address:
        return None
    recent = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=_window_start(request)
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    over = (recent["failures"] or 0) - settings.LOGIN_ADDRESS_SLOWDOWN_AFTER
    if over < 0:
        return None
    delay = min(2**over, settings.LOGIN_ADDRESS_MAX_DELAY_SECONDS)
    return _seconds_until(recent["last"], delay, request)


def account_wait(request, key) -> int:
    """Seconds until the locked account `key` may try again (the cool-off runs from its
    last counted failure)."""
    last = AccessAttempt.objects.filter(
        username=key, attempt_time__gte=_window_start(request)
    ).aggregate(last=Max("attempt_time"))["last"]
    cool_off = get_cool_off(request).total_seconds()
    return _seconds_until(last, cool_off, request) or math.ceil(cool_off)


def _seconds_until(since: datetime | None, delay: float, request) -> int | None:
    if since is None:
        return None
    left = (since - request.axes_attempt_time).total_seconds() + delay
    return math.ceil(left) if left > 0 else None


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler with the address rule in front of its account lockout."""

    def is_allowed(self, request, credentials=None):
        request = _django_request(request)
        wait = address_wait(request)
        if wait is None and super().is_allowed(request, credentials):
            return True
        if wait is not None:
            request.login_refusal = ADDRESS_SLOWED.format(wait=_in_words(wait))
        else:
            wait = account_wait(request, lockout_key(request, credentials))
            request.login_refusal = ACCOUNT_LOCKED.format(wait=_in_words(wait))
        request.login_retry_after = wait
        request.axes_locked_out = True  # not counted as a failure (settings)
        return False

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        request = _django_request(request)
        refused = request.axes_locked_out
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request.axes_locked_out and not refused:  # this failure locked the account
            wait = math.ceil(get_cool_off(request).total_seconds())
            request.login_refusal = ACCOUNT_LOCKED.format(wait=_in_words(wait))
            request.login_retry_after = wait


def _in_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def lockout_response(request, original_response=None, credentials=None):
    """axes' AXES_LOCKOUT_CALLABLE: the answer to a login it refused."""
    message = getattr(request, "login_refusal", ACCOUNT_LOCKED.format(wait="a few minutes"))
    if request.path.startswith("/api/"):  # every API answer is JSON
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = _login_page_again(original_response, message) or HttpResponse(
            message, status=429, content_type="text/plain; charset=utf-8"
        )
    retry_after = getattr(request, "login_retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _login_page_again(response, message):
    """The login page the view answered (the web's or the admin's), its form still holding
    the typed username, with `message` as its only error."""
    if not isinstance(response, TemplateResponse):
        return None
    form = (response.context_data or {}).get("form")
    if form is None or not form.is_bound:
        return None
    form.errors.clear()
    form.add_error(None, message)
    response.content = response.rendered_content
    response.status_code = 429
    return response


@dataclass(frozen=True)
class Lockout:
    username: str  # the lockout key
    failures: int
    last_failure: datetime
    until: datetime


def current_lockouts(usernames=None) -> list[Lockout]:
    """The accounts locked out now, newest first; only those among `usernames` (lockout
    keys) when given."""
    now = timezone.now()
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
    if usernames is not None:
        attempts = attempts.filter(username__in=list(usernames))
    rows = (
        attempts.exclude(username=None)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [
        Lockout(row["username"], row["failures"], row["last"], row["last"] + cool_off)
        for row in rows
    ]


def clear_lockout(username: str) -> int:
    """Forget the failed logins of the account `username` (a lockout key)."""
    return AxesProxyHandler.reset_attempts(username=username)
