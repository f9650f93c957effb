"""Referral letters: made from a session whose check-in found a warning sign, previewed as
a draft, issued as a stored PDF that never changes. The treating practitioner makes and
issues (roles.py); the pages and the API apply the same rules from here."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import Practitioner
from sessions.models import TreatmentSession

from . import content, roles
from .models import ReferralLetter
from .pdf import printable, render_letter_pdf

ALREADY_ISSUED = "This letter has been issued and cannot change."


def refuse_without_warning_sign(session: TreatmentSession) -> None:
    if not content.found_a_warning_sign(session):
        raise ValidationError({"session": content.NO_SIGN_FOUND})


@transaction.atomic
def letter_from_session(
    *, session: TreatmentSession, practitioner: Practitioner
) -> tuple[ReferralLetter, bool]:
    """The session's letter and whether it was made now: a session has one letter, so
    asked again (or twice at once: the session is locked) this answers the one there is."""
    roles.refuse_unless_treating(session, practitioner, to="make")
    locked = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    existing = ReferralLetter.objects.defer("pdf").filter(session=locked).first()
    if existing is not None:
        return existing, False
    session.client.refuse_if_archived("make a letter")
    refuse_without_warning_sign(locked)
    letter = ReferralLetter.objects.create(
        session=locked,
        client_id=locked.client_id,
        created_by=practitioner,
        warning_signs=content.sign_keys(locked.check_in_found),
    )
    return letter, True


@transaction.atomic
def issue_letter(*, letter: ReferralLetter, practitioner: Practitioner) -> ReferralLetter:
    """Render, store and fingerprint the letter's PDF, from the session as it is now. The
    letter is read once, under the lock, with everything the PDF shows."""
    roles.refuse_unless_treating(letter.session, practitioner, to="issue")
    locked = printable(ReferralLetter.objects.select_for_update(of=("self",))).get(pk=letter.pk)
    if locked.is_issued:
        raise ValidationError(ALREADY_ISSUED)
    refuse_without_warning_sign(locked.session)  # the session may have been edited since
    locked.warning_signs = content.sign_keys(locked.session.check_in_found)
    locked.issued_at = timezone.now()
    locked.issued_by = practitioner
    locked.pdf = render_letter_pdf(locked)
    locked.pdf_sha256 = hashlib.sha256(locked.pdf).hexdigest()
    locked.save()
    return locked
