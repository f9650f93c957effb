"""The session page's one button: the session's sheet issued on the paper and print size
chosen there, ready to print. It only issues what needs no review: a sheet with points
left out for the client's flags, or with cautions still to acknowledge, is refused whole
(nothing is made or issued) and reviewed through the sheet's own pages."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.models import Practitioner
from clinic.revisions import StaleEdit
from sessions.models import TreatmentSession

from . import services
from .models import HomeCareSheet

REVIEW_FIRST = "Nothing was issued: open Home-care sheet to review the draft first."


@dataclass(frozen=True)
class Printed:
    sheet: HomeCareSheet
    issued_now: bool  # False: the session's sheet was issued before, its paper fixed then


def issued_from_session(session: TreatmentSession) -> HomeCareSheet | None:
    """The newest issued sheet made from the session that no newer version replaces."""
    issued = session.homecare_sheets.defer("pdf").filter(
        issued_at__isnull=False, newer_versions__isnull=True
    )
    return issued.order_by("-issued_at", "-pk").first()


@transaction.atomic
def issue_and_print(
    *,
    session: TreatmentSession,
    practitioner: Practitioner,
    paper: str,
    large_print: bool,
    draft_revision: int | None = None,
) -> Printed:
    """The practitioner's draft from the session (over `draft_revision`, the revision the
    session page showed, when given), else the session's issued sheet as it was issued,
    else a new sheet made from the session; saved with `paper` and `large_print` and
    issued. Under the session's lock, so two presses make one sheet."""
    TreatmentSession.objects.select_for_update().values_list("pk").get(pk=session.pk)
    draft = services.draft_from_session(session=session, made_by=practitioner)
    if draft is None:
        issued = issued_from_session(session)
        if issued is not None:
            return Printed(sheet=issued, issued_now=False)
        draft = _new_sheet(session, practitioner)
    elif draft_revision is not None and draft.revision != draft_revision:
        raise StaleEdit(draft, "home-care sheet")
    saved = services.update_sheet(
        sheet=draft,
        practitioner=practitioner,
        expected_revision=draft.revision,
        paper=paper,
        large_print=large_print,
    )
    issued = services.issue_sheet(
        sheet=saved, practitioner=practitioner, expected_revision=saved.revision
    )
    return Printed(sheet=issued, issued_now=True)


def _new_sheet(session: TreatmentSession, practitioner: Practitioner) -> HomeCareSheet:
    made = services.sheet_from_session(session=session, practitioner=practitioner)
    if made.left_out:
        raise ValidationError(
            f"Left out, to be avoided for this client's health flags: "
            f"{'; '.join(made.left_out)}. {REVIEW_FIRST}"
        )
    if made.to_review:
        raise ValidationError(
            f"Cautions for this client to acknowledge: {'; '.join(made.to_review)}. {REVIEW_FIRST}"
        )
    if not made.sheet.items.exists():
        raise ValidationError(
            "This session has no self-care points to put on a sheet. Nothing was issued."
        )
    return made.sheet
