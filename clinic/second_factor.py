"""The second factor: an authenticator app (TOTP) with single-use recovery codes, on
django-otp.

Who needs one: staff and superusers, every practitioner of a clinic whose
`requires_second_factor` is on, and anyone who has set one up. After the password such a
user is logged in but not *verified* (django-otp's `user.is_verified()`): the middleware
below lets them reach only the code page (or, with no app set up yet, the setup page) and
logging out; other pages redirect there and the API answers 403 JSON. The code page, the
API token endpoint (`refuse_token_login`) and the account page's "remove" and "new
recovery codes" check codes with `check_code`, which django-otp throttles per device (1,
2, 4, 8 ... seconds after each wrong code).

Whether the account had an app at login is noted in the session (`PENDING`) when the
password is accepted, so a request of someone who needs nothing costs no query.
"""

import os
import re
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from .access_log import AccessEvent, record

PENDING = "second_factor_pending"
RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
CODES_NAME = "Recovery codes"

ENTER_CODE = "Enter the 6-digit code from your authenticator app, or a recovery code."
WRONG_CODE = "That code is not right, or has expired. " + ENTER_CODE
NEEDS_SETUP = (
    "Your account needs a second factor before it can be used: set up an authenticator app "
    "on the setup page (on the web) first."
)
NOT_VERIFIED = "Enter your second-factor code on the web page first."
REQUIRED = (
    "Your account needs a second factor ({reason}), so it cannot be removed. You can set up "
    "a new authenticator app instead."
)


# --- who needs it -----------------------------------------------------------------------


def required_because(user) -> str:
    """Why `user` must have a second factor, or "" when it is their choice."""
    if user.is_superuser or user.is_staff:
        return "administrator accounts always have one"
    practitioner = getattr(user, "practitioner", None)  # cached by the time zone middleware
    if practitioner is not None and practitioner.clinic.requires_second_factor:
        return f"{practitioner.clinic.name} asks every practitioner to use one"
    return ""


def authenticator(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app (one per user)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def step_for(request) -> str | None:
    """What the request's logged-in user must do before anything else: "verify" (enter a
    code), "setup" (set up an app), or None."""
    user = request.user
    # Right after login() the request's user is a plain User, not django-otp's.
    if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return None
    required = bool(required_because(user))
    if not (required or request.session.get(PENDING)):
        return None
    if has_second_factor(user):
        return "verify"
    request.session.pop(PENDING, None)  # removed meanwhile, from another login
    return "setup" if required else None


STEP_PAGES = {"verify": "clinic:second-factor-verify", "setup": "clinic:second-factor-setup"}


def step_url(step, next_url=""):
    url = reverse(STEP_PAGES[step])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def note_login(sender, request, user, **kwargs):
    """On every login (the password accepted): does this account have an app to ask for?"""
    if request is not None and hasattr(request, "session"):
        request.session[PENDING] = has_second_factor(user)


class SecondFactorMiddleware:
    """Until the second factor is passed (or set up, where it is required) a user reaches
    only the step's own page, the login page and logging out."""

    OPEN = {"login", "logout", "admin:logout", "api:token"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return None
        step = step_for(request)
        name = request.resolver_match.view_name
        if step is None or name in self.OPEN or name == STEP_PAGES[step]:
            return None
        if request.path.startswith("/api/"):
            detail = NOT_VERIFIED if step == "verify" else NEEDS_SETUP
            return JsonResponse({"detail": detail}, status=403)
        next_url = reverse("admin:index") if name == "admin:login" else request.get_full_path()
        return redirect(step_url(step, next_url))


class SecondFactorSetUp(BasePermission):
    """API calls with a token: the token endpoint asked for the code, but an account that
    needs a second factor and has none (the clinic turned it on since) is refused."""

    message = NEEDS_SETUP

    def has_permission(self, request, view):
        user = request.user
        if not user.is_authenticated or not required_because(user):
            return True
        return has_second_factor(user)


# --- checking a code -------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    passed: bool
    error: str = ""
    recovery_code: bool = False
    recovery_codes_left: int = 0
    device: object = None
    throttled: bool = False


def normalise(code) -> str:
    return re.sub(r"[\s-]", "", str(code or "")).lower()


def _throttled(device):
    locked_until = device.verify_is_allowed()[1]["locked_until"]
    wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    return CodeCheck(False, f"Too many wrong codes. Try again in {wait} seconds.", throttled=True)


def check_code(user, code) -> CodeCheck:
    """A 6-digit code is checked against the app, anything else against the unused
    recovery codes (a matching one is used up). Wrong codes are throttled per device."""
    code = normalise(code)
    if not code:
        return CodeCheck(False, ENTER_CODE)
    model = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return CodeCheck(False, WRONG_CODE)
    if not device.verify_is_allowed()[0]:
        return _throttled(device)
    verified = verify_token(user, device.persistent_id, code)
    if verified is None:
        return CodeCheck(False, WRONG_CODE)
    if model is StaticDevice:
        left = verified.token_set.count()
        return CodeCheck(True, recovery_code=True, recovery_codes_left=left, device=verified)
    return CodeCheck(True, device=verified)


def record_check(request, user, check):
    if not check.passed:
        action, detail = AccessEvent.Action.SECOND_FACTOR_FAILED, ""
    elif check.recovery_code:
        action = AccessEvent.Action.RECOVERY_CODE_USED
        detail = f"{check.recovery_codes_left} recovery codes left"
    else:
        action, detail = AccessEvent.Action.SECOND_FACTOR_PASSED, APP_NAME
    record(action=action, request=request, user=user, detail=detail)


def pass_second_factor(request, code) -> CodeCheck:
    """The login's second step: a right code marks this login verified."""
    check = check_code(request.user, code)
    record_check(request, request.user, check)
    if check.passed:
        request.session.cycle_key()
        otp_login(request, check.device)
        request.session.pop(PENDING, None)
    return check


def refuse_token_login(*, request, user, code: str | None) -> None:
    """Raise a ValidationError({"otp": [...]}) (400) when `user` has a confirmed device and
    `code` is missing or wrong; record the attempt in the access log. An account that needs
    a second factor and has none is refused (403) until it is set up on the web."""
    if not has_second_factor(user):
        if required_because(user):
            raise exceptions.PermissionDenied(NEEDS_SETUP)
        return
    if not normalise(code):
        raise exceptions.ValidationError({"otp": [ENTER_CODE]})
    check = check_code(user, code)
    record_check(request, user, check)
    if not check.passed:
        raise exceptions.ValidationError({"otp": [check.error]})


# --- setting up, new recovery codes, removing -------------------------------------------


def new_key() -> str:
    return random_hex(20)


def secret_text(key: str) -> str:
    """The key as an authenticator app takes it typed in: base32, in groups of four."""
    secret = b32encode(unhexlify(key)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def config_url(user, key: str) -> str:
    return TOTPDevice(user=user, key=key).config_url


def qr_svg(user, key: str) -> str:
    """The setup QR code as an inline SVG element (no script, no style)."""
    return segno.make(config_url(user, key), error="m").svg_inline(
        scale=4, title="QR code for your authenticator app", dark="#000", light="#fff"
    )


def _matching_step(key: str, code) -> int | None:
    """The time step of `code` for the unsaved key, or None."""
    code = normalise(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = TOTP(unhexlify(key))
    tolerance = TOTPDevice._meta.get_field("tolerance").default
    if not totp.verify(int(code), tolerance):
        return None
    return totp.t()


@transaction.atomic
def new_recovery_codes(*, user) -> list[str]:
    """Ten new recovery codes for `user` (any earlier ones stop working), to be shown once."""
    codes_device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": CODES_NAME, "confirmed": True}
    )
    codes_device.token_set.all().delete()
    # 10 base32 characters: 50 random bits each, typed as "abcde-fghij".
    codes = [b32encode(os.urandom(10)).decode()[:10].lower() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=codes_device, token=c) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


@transaction.atomic
def set_up(*, request, key: str, code) -> list[str] | None:
    """Confirm the app whose key the setup page showed, with a code it made. Replaces an
    earlier app and its recovery codes; marks this login verified. The new recovery codes
    are returned to be shown once; None when the code does not match."""
    user = request.user
    step = _matching_step(key, code)
    if step is None:
        return None
    replaced = TOTPDevice.objects.filter(user=user).delete()[0] > 0
    device = TOTPDevice.objects.create(user=user, name=APP_NAME, key=key, last_t=step)
    codes = new_recovery_codes(user=user)
    record(
        action=AccessEvent.Action.SECOND_FACTOR_ADDED,
        request=request,
        detail=f"{APP_NAME} (replacing the earlier one)" if replaced else APP_NAME,
    )
    otp_login(request, device)
    request.session.pop(PENDING, None)
    return codes


@transaction.atomic
def remove(*, request, user, by_admin=False) -> None:
    """Remove the user's app and recovery codes. Refused where a second factor is
    required (the admin, for a user who lost theirs, may remove it all the same)."""
    reason = required_because(user)
    if reason and not by_admin:
        raise PermissionDenied(REQUIRED.format(reason=reason))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(
        action=AccessEvent.Action.SECOND_FACTOR_REMOVED,
        request=request,
        user=user,
        detail=f"by {request.user.get_username()}, an administrator" if by_admin else "",
    )
    if not by_admin:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        request.session.pop(PENDING, None)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def warn_if_few_codes_left(request, check):
    if check.recovery_code and check.recovery_codes_left <= 3:
        messages.warning(
            request,
            f"{check.recovery_codes_left} recovery codes left: make new ones on your account page.",
        )
