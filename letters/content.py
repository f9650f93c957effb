"""What a letter is about: the warning signs a session's check-in found, with how soon
the client should see a doctor, and the visit flags found beside them. The page, the PDF
and the services read them from here."""

from dataclasses import dataclass

from catalogue.caution_rules import URGENCY_ORDER, Urgency
from catalogue.models import HealthFlag, WarningSign
from sessions.check_in import FLAG_PREFIX, SIGN_PREFIX, found_flags
from sessions.models import TreatmentSession

from . import wording

NO_SIGN_FOUND = (
    "This session's check-in found no warning sign, so there is no letter to make: a "
    "letter is for a client who should see their doctor."
)


def sign_keys(found) -> list[str]:
    """The warning-sign keys among a session's check-in answers ("sign:<key>")."""
    return [code.removeprefix(SIGN_PREFIX) for code in found if code.startswith(SIGN_PREFIX)]


def found_a_warning_sign(session: TreatmentSession) -> bool:
    return bool(sign_keys(session.check_in_found or []))


@dataclass(frozen=True)
class UrgencyGroup:
    urgency: str
    label: str  # for the doctor: "See a doctor today"
    how_soon: str  # for the client, in plain words
    signs: list[WarningSign]


def signs_found(keys) -> list[WarningSign]:
    """The signs by key, most urgent first (a sign retired since is still printed)."""
    return list(WarningSign.objects.filter(key__in=list(keys)).order_by("urgency_rank", "position"))


def by_urgency(signs) -> list[UrgencyGroup]:
    return [
        UrgencyGroup(
            urgency=urgency,
            label=Urgency(urgency).label,
            how_soon=wording.HOW_SOON[urgency],
            signs=[sign for sign in signs if sign.urgency == urgency],
        )
        for urgency in URGENCY_ORDER
        if any(sign.urgency == urgency for sign in signs)
    ]


def flags_found(session: TreatmentSession) -> list[str]:
    """The labels of the visit flags the check-in found (a fever, a hot calf)."""
    codes = found_flags(
        [code for code in session.check_in_found or [] if code.startswith(FLAG_PREFIX)]
    )
    labels = dict(HealthFlag.objects.filter(code__in=codes).values_list("code", "label"))
    return [labels.get(code, code) for code in codes]
