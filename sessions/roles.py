"""Who may change a treatment session: the one rule book the services apply, so the pages
and the API cannot disagree (they only show the refusal, a 403 with its message).

Every practitioner of the clinic reads its sessions. Only the treating practitioner (the
session's `practitioner`) edits or signs their draft; a signed session is amended by them,
or by a clinic manager of the same clinic, and the amendment records which
(`Amendment.AmendedAs`). Another clinic's practitioners never get this far: the clinic's
querysets answer them 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from clinic.models import Practitioner

from .models import Amendment, TreatmentSession


def is_treating(session: TreatmentSession, practitioner: Practitioner) -> bool:
    return session.practitioner_id == practitioner.pk


def manages_clinic_of(session: TreatmentSession, practitioner: Practitioner) -> bool:
    return practitioner.is_manager and practitioner.clinic_id == session.client.clinic_id


def only_treating(session: TreatmentSession, to: str) -> str:
    return f"Only {session.practitioner}, who recorded this session, can {to} it."


def only_treating_or_manager(session: TreatmentSession) -> str:
    return (
        f"Only {session.practitioner}, who recorded this session, or a clinic manager can amend it."
    )


def refuse_unless_treating(session: TreatmentSession, practitioner: Practitioner, *, to: str):
    """Editing and signing a draft: `to` is what was asked ("edit", "sign")."""
    if not is_treating(session, practitioner):
        raise PermissionDenied(only_treating(session, to))


def amending_as(session: TreatmentSession, practitioner: Practitioner) -> str:
    """In which role the practitioner amends the session, or PermissionDenied."""
    if is_treating(session, practitioner):
        return Amendment.AmendedAs.TREATING
    if manages_clinic_of(session, practitioner):
        return Amendment.AmendedAs.MANAGER
    raise PermissionDenied(only_treating_or_manager(session))


@dataclass(frozen=True)
class Allowed:
    """What the session page offers this practitioner."""

    edit: bool  # edit and sign the draft
    amend: bool
    refusal: str = ""  # why neither is offered


def allowed(session: TreatmentSession, practitioner: Practitioner) -> Allowed:
    treating = is_treating(session, practitioner)
    if not session.is_signed:
        refusal = "" if treating else only_treating(session, "edit or sign")
        return Allowed(edit=treating, amend=False, refusal=refusal)
    if treating or manages_clinic_of(session, practitioner):
        return Allowed(edit=False, amend=True)
    return Allowed(edit=False, amend=False, refusal=only_treating_or_manager(session))
