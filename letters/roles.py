"""Who may make and issue a referral letter: the session's treating practitioner only.
Every practitioner of the clinic reads its letters; another clinic's never get this far
(the clinic's querysets answer them 404)."""

from django.core.exceptions import PermissionDenied

from clinic.models import Practitioner
from sessions.models import TreatmentSession


def is_treating(session: TreatmentSession, practitioner: Practitioner) -> bool:
    return session.practitioner_id == practitioner.pk


def only_treating(session: TreatmentSession, to: str) -> str:
    return f"Only {session.practitioner}, who recorded this session, can {to} its letter."


def refuse_unless_treating(session: TreatmentSession, practitioner: Practitioner, *, to: str):
    """`to` is what was asked ("make", "issue")."""
    if not is_treating(session, practitioner):
        raise PermissionDenied(only_treating(session, to))
