"""The access log: an append-only record of who looked at, exported or signed in to what.

Each entry says who, when, from which address, what they did and to which record (by kind
and id), never the record's health data. Nothing in the app or the admin changes or
deletes an entry: `save` refuses an existing row, and the queryset refuses bulk updates
and deletes.

Write with `record(...)`; views of a record call `record_view(...)`.

What is logged as a read: every page or API answer that shows one clinical record, that is
the client's page, a session's page, a home-care sheet's page, its print page and its PDF,
and through the API the client, session and sheet details and the sheet's PDF (`detail`
"API"); an export of the whole record (`records/`). Lists and searches are not logged: they
show names and dates, not a record, and a log of every list would bury the reads. Edit forms
are not logged as reads either; what they save is in each record's change history.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnly(Exception):
    """An attempt to change or delete an access log entry."""


class AccessEventQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def update(self, **kwargs):
        raise AppendOnly("Access log entries are never changed.")

    def delete(self):
        raise AppendOnly("Access log entries are never deleted.")


class AccessEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        LOGIN = "login", "Logged in"
        LOGOUT = "logout", "Logged out"
        LOGIN_FAILED = "login_failed", "Failed login"
        LOCKOUT_CLEARED = "lockout_cleared", "Cleared a lockout"
        SECOND_FACTOR_ADDED = "otp_added", "Added a second factor"
        SECOND_FACTOR_REMOVED = "otp_removed", "Removed a second factor"
        SECOND_FACTOR_PASSED = "otp_passed", "Passed the second factor"
        SECOND_FACTOR_FAILED = "otp_failed", "Failed the second factor"
        RECOVERY_CODE_USED = "recovery_used", "Used a recovery code"
        TOKEN_CREATED = "token_created", "Created an API token"
        TOKEN_REVOKED = "token_revoked", "Revoked an API token"
        PASSWORD_CHANGED = "password_changed", "Changed the password"
        PASSWORD_RESET_REQUESTED = "password_reset", "Asked for a password reset"

    class RecordType(models.TextChoices):
        CLIENT = "client", "Client"
        SESSION = "session", "Treatment session"
        SHEET = "sheet", "Home-care sheet"
        SHEET_PDF = "sheet_pdf", "Home-care sheet PDF"
        RECORD_EXPORT = "record_export", "Client record export"
        LETTER = "letter", "Referral letter"
        LETTER_PDF = "letter_pdf", "Referral letter PDF"
        APPOINTMENT = "appointment", "Appointment"
        PLAN = "plan", "Treatment plan"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a failed login to an unknown account.",
    )
    username = models.CharField(
        max_length=150, blank=True, help_text="As the user was called then, or as typed."
    )
    clinic = models.ForeignKey(
        "clinic.Clinic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    client = models.ForeignKey(
        "clinic.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    record_type = models.CharField(max_length=20, choices=RecordType.choices, blank=True)
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(
        max_length=200, blank=True, help_text="Never health data: a device name, a format."
    )

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        indexes = [
            models.Index(fields=["clinic", "-at"], name="access_clinic_at_idx"),
            models.Index(fields=["client", "-at"], name="access_client_at_idx"),
        ]

    def __str__(self):
        return f"{self.username or 'unknown'} {self.get_action_display().lower()} at {self.at}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Access log entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Access log entries are never deleted.")

    @property
    def who(self):
        """The practitioner's name as the log shows it, else the username."""
        practitioner = getattr(self.user, "practitioner", None) if self.user else None
        return practitioner.display_name if practitioner else (self.username or "unknown")

    @property
    def what(self):
        """The record, as "Treatment session 12", or "" for an entry about no record."""
        if not self.record_type:
            return ""
        label = self.get_record_type_display()
        return label if self.record_id is None else f"{label} {self.record_id}"


def client_ip(request):
    """The address a request came from (REMOTE_ADDR: set the proxy to pass the real one)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    request=None,
    user=None,
    username: str = "",
    clinic=None,
    client=None,
    record_type: str = "",
    record_id: int | None = None,
    detail: str = "",
) -> AccessEvent:
    """Append one entry. `user` defaults to the request's user; `clinic` to the client's,
    else to the user's practitioner's clinic."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if user is not None and not username:
        username = user.get_username()
    if clinic is None and client is not None:
        clinic = client.clinic_id
    if clinic is None and user is not None:
        clinic = _clinic_of(user)
    return AccessEvent.objects.create(
        action=action,
        user=user,
        username=_printable(username)[:150],
        clinic_id=getattr(clinic, "pk", clinic),
        client=client,
        record_type=record_type,
        record_id=record_id,
        ip_address=client_ip(request),
        detail=_printable(detail)[:200],
    )


API = "API"  # the `detail` of a read through the API


def record_view(
    request, *, client, record_type: str, record_id: int, action=None, detail: str = ""
) -> AccessEvent:
    """The request's user viewed (or, with `action`, exported) a record of `client`: one
    INSERT (the clinic is the client's, so nothing else is read)."""
    return record(
        action=action or AccessEvent.Action.VIEW,
        request=request,
        client=client,
        record_type=record_type,
        record_id=record_id,
        detail=detail,
    )


def _printable(text):
    # A typed username may hold a NUL byte, which PostgreSQL text cannot store.
    return str(text).replace("\x00", "")


def _clinic_of(user):
    practitioner = getattr(user, "practitioner", None)
    return practitioner.clinic_id if practitioner is not None else None


def viewers_of(client, *, limit: int = 20):
    """The latest views and exports of a client's records, newest first."""
    return (
        AccessEvent.objects.filter(
            client=client, action__in=[AccessEvent.Action.VIEW, AccessEvent.Action.EXPORT]
        )
        .select_related("user__practitioner")
        .order_by("-at", "-pk")[:limit]
    )


def log_login(sender, request, user, **kwargs):
    record(action=AccessEvent.Action.LOGIN, request=request, user=user)


def log_logout(sender, request, user, **kwargs):
    if user is not None:
        record(action=AccessEvent.Action.LOGOUT, request=request, user=user)


def log_login_failure(sender, credentials, request=None, **kwargs):
    record(
        action=AccessEvent.Action.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )
