"""API tokens: one per device and login, expiring, kept only as a hash, revoked by their owner.

Each login at the token endpoint issues a new token (`issue`), named for the device that
asked (a phone, the front desk's tablet) and valid for API_TOKEN_DAYS. The secret is shown
once, in that answer; the database keeps its SHA-256 only, so a copy of the database opens
no account. (A slow, salted hash is for passwords people choose; a token is 32 random
bytes, and its digest is looked up directly by a unique index.)

A token is revoked by deleting it (`revoke`: its owner on the account page or through the
API, the superuser in the admin); the access log keeps that it was made and revoked.
Expired tokens are refused at once and pruned at the next login. A password change revokes
every token of the user, whichever door it came through (the password change and reset
pages, the admin, `manage.py changepassword`, any `set_password(); save()`): Django tells
each password validator of every change, and `RevokeTokensOnPasswordChange` is one.

`authenticate` is what the API's authentication class (`clinic.timezones.
ClinicTokenAuthentication`) calls: one query, and a write of `last_used_at` at most once a
minute per token.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from simple_history.models import HistoricalRecords

from .access_log import AccessEvent, record

DEFAULT_DEVICE = "Unnamed device"
LAST_USED_EVERY = timedelta(minutes=1)
NOT_VALID = (
    "This token is not valid: it has expired or been revoked. "
    "Log in again at /api/v1/auth/token/ for a new one."
)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(expires_at__gt=timezone.now())

    def of(self, user):
        """The one way to a user's own tokens (pages and API): the unexpired ones."""
        return self.active().filter(user=user)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    device = models.CharField(
        max_length=100, help_text="Named at login, e.g. Front desk iPad.", default=DEFAULT_DEVICE
    )
    digest = models.CharField("SHA-256 of the token", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    last_used_at = models.DateTimeField(
        null=True, blank=True, help_text="Updated at most once a minute."
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.device} ({self.user})"


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def issue(*, user, device: str = "", request=None) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, to be shown once; recorded in the access log."""
    now = timezone.now()
    ApiToken.objects.filter(expires_at__lte=now).delete()
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        device=device.strip() or DEFAULT_DEVICE,
        digest=digest_of(secret),
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
    )
    record(action=AccessEvent.Action.TOKEN_CREATED, request=request, user=user, detail=token.device)
    return token, secret


def authenticate(secret: str) -> ApiToken:
    """The unexpired token with this secret, its user loaded; AuthenticationFailed (401)
    for any other."""
    now = timezone.now()
    try:
        token = ApiToken.objects.select_related("user").get(
            digest=digest_of(secret), expires_at__gt=now
        )
    except ApiToken.DoesNotExist:
        raise AuthenticationFailed(NOT_VALID) from None
    if not token.user.is_active:
        raise AuthenticationFailed("This account is inactive.")
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def revoke(*, token: ApiToken, request) -> None:
    """Revoke one token (its owner, or the superuser in the admin), and record it."""
    owner = token.user
    by_owner = request.user.pk == owner.pk
    token.delete()
    record(
        action=AccessEvent.Action.TOKEN_REVOKED,
        request=request,
        detail=token.device if by_owner else f"{token.device}, of {owner.get_username()}",
    )


class RevokeTokensOnPasswordChange:
    """Not a rule for passwords: Django calls `password_changed` of every validator after
    each change of a password, so here a change revokes every API token of the user and is
    recorded, with the address and who did it when it came through a page (the request
    simple_history's middleware keeps), without them from `manage.py changepassword`."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        revoked, _ = ApiToken.objects.filter(user=user).delete()
        request = getattr(HistoricalRecords.context, "request", None)
        actor = getattr(request, "user", None)
        by = ""
        if actor is not None and actor.is_authenticated and actor.pk != user.pk:
            by = f", by {actor.get_username()}"
        record(
            action=AccessEvent.Action.PASSWORD_CHANGED,
            request=request,
            user=user,
            detail=f"API tokens revoked: {revoked}{by}",
        )

    def get_help_text(self):
        return "Changing the password logs out every app and device signed in with it."
