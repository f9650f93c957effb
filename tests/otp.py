"""Second-factor helpers for tests: an authenticator app for a user, the code it shows
now, and logins. In tests, `force_login` of an account that has or needs a second factor
(staff, superusers, practitioners of a clinic that asks for one) also passes it, as the
code page would (tests/conftest.py installs `force_login_passing_second_factor`);
`password_only_login` stops after the password."""

from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic import second_factor

RECOVERY_CODES = ("abcdefghij", "klmnopqrst")
password_only_login = ClientMixin.force_login


def give_app(user, *, recovery_codes=RECOVERY_CODES):
    """A confirmed authenticator app, and recovery codes, for `user`."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    codes = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=codes, token=c) for c in recovery_codes)
    return device


def code_for(device_or_key, *, steps_ahead=0):
    """The 6-digit code an app shows now (or `steps_ahead` steps of 30 seconds later)."""
    key = getattr(device_or_key, "bin_key", None) or bytes.fromhex(device_or_key)
    return f"{TOTP(key, drift=steps_ahead).token():06d}"


def wrong_code(device):
    """A 6-digit code the app does not accept now."""
    right = {code_for(device, steps_ahead=offset) for offset in (-1, 0, 1, 2)}
    return next(code for code in (f"{n:06d}" for n in range(10)) if code not in right)


def pass_second_factor(client, user):
    """Mark the client's login as having passed the second factor (an app given if none)."""
    device = second_factor.authenticator(user) or give_app(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def force_login_passing_second_factor(client, user, backend=None):
    password_only_login(client, user, backend)
    if second_factor.required_because(user) or second_factor.has_second_factor(user):
        pass_second_factor(client, user)
