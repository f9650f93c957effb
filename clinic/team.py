"""A clinic's team, managed by its clinic manager: practitioners added, their role changed,
deactivated and reactivated (never deleted), and the clinic's second-factor setting.

The rules are here, so whatever writes them (the team pages) keeps them: only an active
manager of the clinic changes it; every change is made over the revision it was opened
at (`locked_current`), and simple-history keeps who made it; and the clinic always keeps
an active manager, so the last one can neither step down nor be deactivated.

A practitioner added here gets an account with a random password that nobody knows, and
a mail with a link to set their own (`mail_set_password_link`); once it has expired,
"Forgot your password?" on the login page sends another. Deactivating a practitioner
shuts them out of the clinic's records at once, on the pages and in the API; their login
account, and everything they recorded, stays.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import NOT_A_MANAGER, practitioners_of
from .models import Clinic, Practitioner
from .revisions import locked_current

LAST_MANAGER = (
    "{name} is the clinic's last active manager: make another practitioner a manager "
    "first, so someone can still manage the team."
)
USERNAME_TAKEN = (
    "There is already an account with this username (or one that differs only in "
    "capitals): choose another."
)


def refuse_unless_manager_of(practitioner: Practitioner, clinic_id: int) -> None:
    if not (
        practitioner.is_active and practitioner.is_manager and practitioner.clinic_id == clinic_id
    ):
        raise PermissionDenied(NOT_A_MANAGER)


def team_of(clinic_id: int):
    """The clinic's practitioners, active or not, with their accounts."""
    return practitioners_of(clinic_id).select_related("user")


def with_second_factor(practitioners) -> set[int]:
    """The user ids among `practitioners` that have a confirmed authenticator app (as
    second_factor.has_second_factor, for a whole list in one query)."""
    users = [practitioner.user_id for practitioner in practitioners]
    devices = TOTPDevice.objects.filter(user_id__in=users, confirmed=True)
    return set(devices.values_list("user_id", flat=True))


@transaction.atomic
def add_practitioner(
    *,
    by: Practitioner,
    username: str,
    email: str,
    display_name: str,
    role: str = Practitioner.Role.PRACTITIONER,
    qualification: str = "",
    registration_number: str = "",
) -> Practitioner:
    """A new account and its practitioner profile in `by`'s clinic."""
    refuse_unless_manager_of(by, by.clinic_id)
    User = get_user_model()
    # Logins are throttled by the username with its case folded: two accounts never
    # share one that way.
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": USERNAME_TAKEN})
    user = User(username=username, email=email)
    user.set_password(secrets.token_urlsafe(32))
    user.full_clean()
    user.save()
    return Practitioner.objects.create(
        user=user,
        clinic_id=by.clinic_id,
        display_name=display_name,
        role=role,
        qualification=qualification,
        registration_number=registration_number,
    )


@transaction.atomic
def change_member(
    *,
    by: Practitioner,
    member: Practitioner,
    expected_revision: int | None,
    role: str,
    is_active: bool,
) -> Practitioner:
    """Change a practitioner's role, or deactivate or reactivate them."""
    refuse_unless_manager_of(by, member.clinic_id)
    # One team change at a time per clinic, so two managers demoting each other at once
    # cannot leave it with none.
    Clinic.objects.select_for_update().filter(pk=member.clinic_id).exists()
    locked = locked_current(
        Practitioner, member.pk, expected_revision=expected_revision, noun="practitioner profile"
    )
    stays_manager = role == Practitioner.Role.MANAGER and is_active
    if locked.is_manager and locked.is_active and not stays_manager:
        others = team_of(locked.clinic_id).filter(role=Practitioner.Role.MANAGER, is_active=True)
        if not others.exclude(pk=locked.pk).exists():
            raise ValidationError(LAST_MANAGER.format(name=locked.display_name))
    locked.role, locked.is_active = role, is_active
    locked.save(update_fields=["role", "is_active"])
    return locked


@transaction.atomic
def set_requires_second_factor(
    *, by: Practitioner, clinic: Clinic, expected_revision: int | None, required: bool
) -> Clinic:
    refuse_unless_manager_of(by, clinic.pk)
    locked = locked_current(Clinic, clinic.pk, expected_revision=expected_revision, noun="clinic")
    locked.requires_second_factor = required
    locked.save(update_fields=["requires_second_factor"])
    return locked


def mail_set_password_link(request, practitioner: Practitioner) -> None:
    """Mail the practitioner a link to set their password (Django's password-reset link,
    valid for PASSWORD_RESET_TIMEOUT). Raises OSError (or smtplib's) when no mail goes."""
    user = practitioner.user
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "practitioner": practitioner,
        "clinic": practitioner.clinic,
        "link": request.build_absolute_uri(path),
        "login": request.build_absolute_uri(reverse("login")),
    }
    subject = render_to_string("clinic/emails/welcome_subject.txt", context)
    body = render_to_string("clinic/emails/welcome.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
