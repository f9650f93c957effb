"""Writes that span a session and its points: recorded, edited, signed, amended.

The rules for a single point row are in `rows.py`, who may edit, sign and amend in
`roles.py`; the rules that need the client, the catalogue or the clock are here, so the
pages and the API enforce the same ones.
"""

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalogue.models import Condition
from clinic.models import Client, Practitioner
from clinic.revisions import KEEP, Keep, locked_current

from . import roles
from .cautions import (
    RefusedWithWarnings,
    needed_acknowledgements,
    refuse_unacknowledged,
    row_warnings,
    rule_book,
    unacknowledged,
)
from .check_in import check_in_problems, found_flags, questions_for
from .condition_links import set_conditions
from .models import Amendment, TreatmentSession
from .pain_marks import PainMark, stored
from .rows import PointRow, replace_rows
from .signals import session_signed

CLOCK_SKEW = timedelta(minutes=5)
EARLIEST_SESSION = datetime(2000, 1, 1, tzinfo=UTC)
# The session's own values, as record_session and update_session take them.
SESSION_FIELDS = [
    "started_at",
    "complaint",
    "pain_before",
    "pain_after",
    "outcome",
    "notes",
    "adverse_reaction",
    "follow_up",
]
AMENDABLE_FIELDS = [
    "complaint",
    "pain_after",
    "outcome",
    "notes",
    "adverse_reaction",
    "follow_up",
]
SIGNED_MESSAGE = "This session is signed and can no longer be edited. Add an amendment instead."


def started_at_problems(started_at: datetime) -> dict:
    if started_at > timezone.now() + CLOCK_SKEW:
        return {"started_at": "The start time cannot be in the future."}
    if started_at < EARLIEST_SESSION:
        return {"started_at": "Check the year: sessions start in 2000 or later."}
    return {}


def _write(
    session: TreatmentSession,
    *,
    conditions: Iterable[Condition],
    points: Sequence[PointRow],
    acknowledged_cautions: Collection[str],
    check_in_found: Collection[str],
    check_in_acknowledged: bool,
) -> TreatmentSession:
    conditions = list(conditions)
    asked = questions_for(conditions, flags=session.client.health_flags)
    # What an earlier save found stays valid though its sign was retired or its condition
    # untaken since: a later edit must not lose a recorded warning sign.
    found_before = [code for code in session.check_in_found if code in set(check_in_found)]
    found_now = [q.code for q in asked if q.code in set(check_in_found)]
    found = [*found_now, *(code for code in found_before if code not in found_now)]
    book = rule_book(
        session.client,
        on=timezone.localdate(session.started_at),
        found_today=found_flags(found),
    )
    warnings = row_warnings(book, points)
    problems = (
        started_at_problems(session.started_at)
        | check_in_problems(
            asked=asked,
            found=check_in_found,
            acknowledged=check_in_acknowledged,
            kept=found_before,
        )
        | unacknowledged(warnings, acknowledged_cautions)
    )
    if problems:
        raise RefusedWithWarnings(problems, warnings)
    needed = needed_acknowledgements(warnings)
    session.caution_acknowledged = bool(needed)
    session.acknowledged_cautions = needed
    session.check_in_asked = [
        *(q.code for q in asked),
        *(c for c in found_before if c not in found_now),
    ]
    session.check_in_found = found
    session.check_in_acknowledged = bool(found) and check_in_acknowledged
    session.save()
    set_conditions(session, conditions)
    replace_rows(session.treated_points, [row.saved_values() for row in points])
    return session


@transaction.atomic
def record_session(
    *,
    client: Client,
    practitioner: Practitioner,
    started_at: datetime,
    pain_before: int,
    pain_after: int | None = None,
    outcome: str = "",
    complaint: str = "",
    notes: str = "",
    adverse_reaction: str = "",
    follow_up: str = "",
    conditions: Iterable[Condition] = (),
    points: Sequence[PointRow] = (),
    pain_marks: Sequence[PainMark] = (),
    acknowledged_cautions: Collection[str] = (),
    check_in_found: Collection[str] = (),
    check_in_acknowledged: bool = False,
) -> TreatmentSession:
    client.refuse_if_archived("record a session")
    session = TreatmentSession(
        client=client,
        practitioner=practitioner,
        started_at=started_at,
        pain_before=pain_before,
        pain_after=pain_after,
        outcome=outcome,
        complaint=complaint,
        notes=notes,
        adverse_reaction=adverse_reaction,
        follow_up=follow_up,
        pain_marks=stored(pain_marks),
    )
    return _write(
        session,
        conditions=conditions,
        points=points,
        acknowledged_cautions=acknowledged_cautions,
        check_in_found=check_in_found,
        check_in_acknowledged=check_in_acknowledged,
    )


@transaction.atomic
def update_session(
    *,
    session: TreatmentSession,
    practitioner: Practitioner,
    expected_revision: int | None,
    started_at: datetime | Keep = KEEP,
    pain_before: int | Keep = KEEP,
    pain_after: int | None | Keep = KEEP,
    outcome: str | Keep = KEEP,
    complaint: str | Keep = KEEP,
    notes: str | Keep = KEEP,
    adverse_reaction: str | Keep = KEEP,
    follow_up: str | Keep = KEEP,
    conditions: Iterable[Condition] | Keep = KEEP,
    points: Sequence[PointRow] | Keep = KEEP,
    pain_marks: Sequence[PainMark] | Keep = KEEP,
    acknowledged_cautions: Collection[str] | Keep = KEEP,
    check_in_found: Collection[str] | Keep = KEEP,
    check_in_acknowledged: bool | Keep = KEEP,
) -> TreatmentSession:
    """Edit a draft, over `expected_revision` (None: over whatever is saved now), as its
    treating practitioner. What is left out (KEEP) stays as saved, read under the lock."""
    roles.refuse_unless_treating(session, practitioner, to="edit")
    locked = locked_current(
        TreatmentSession, session.pk, expected_revision=expected_revision, noun="session"
    )
    if locked.is_signed:
        raise ValidationError(SIGNED_MESSAGE)
    locked.client = session.client  # already loaded by the caller, and never changes
    values = {
        "started_at": started_at,
        "pain_before": pain_before,
        "pain_after": pain_after,
        "outcome": outcome,
        "complaint": complaint,
        "notes": notes,
        "adverse_reaction": adverse_reaction,
        "follow_up": follow_up,
        "pain_marks": pain_marks if pain_marks is KEEP else stored(pain_marks),
    }
    for name, value in values.items():
        if value is not KEEP:
            setattr(locked, name, value)
    if points is KEEP:
        saved = locked.treated_points.select_related("point__default_tool", "tool")
        points = [PointRow.of(treated) for treated in saved]

    def kept(value, saved):
        return saved if value is KEEP else value

    return _write(
        locked,
        conditions=kept(conditions, locked.conditions.all()),
        points=points,
        acknowledged_cautions=kept(acknowledged_cautions, locked.acknowledged_cautions),
        check_in_found=kept(check_in_found, locked.check_in_found),
        check_in_acknowledged=kept(check_in_acknowledged, locked.check_in_acknowledged),
    )


@transaction.atomic
def sign_session(
    *,
    session: TreatmentSession,
    practitioner: Practitioner,
    expected_revision: int | None = None,
) -> TreatmentSession:
    """Sign the session as saved now, or only `expected_revision` (the one reviewed), as
    its treating practitioner."""
    roles.refuse_unless_treating(session, practitioner, to="sign")
    locked = locked_current(
        TreatmentSession, session.pk, expected_revision=expected_revision, noun="session"
    )
    if locked.is_signed:
        raise ValidationError("This session is already signed.")
    points = list(locked.treated_points.select_related("point", "tool"))
    missing = {}
    if locked.pain_after is None:
        missing["pain_after"] = "Record the pain after treatment before signing."
    if not locked.outcome:
        missing["outcome"] = "Record the outcome before signing."
    if not points:
        missing["points"] = "Record at least one point before signing."
    if missing:
        raise ValidationError(missing)
    book = rule_book(
        session.client,
        on=timezone.localdate(locked.started_at),
        found_today=found_flags(locked.check_in_found),
    )
    refuse_unacknowledged(row_warnings(book, points), locked.acknowledged_cautions, action="sign")
    locked.signed_at = timezone.now()
    locked.signed_by = practitioner
    locked.save(update_fields=["signed_at", "signed_by", "updated_at"])
    session_signed.send(sender=TreatmentSession, session=locked, practitioner=practitioner)
    return locked


@transaction.atomic
def amend_session(
    *,
    session: TreatmentSession,
    practitioner: Practitioner,
    reason: str,
    changes: dict,
    expected_revision: int | None = None,
) -> Amendment:
    """Correct a signed session, as its treating practitioner or a clinic manager (the
    amendment says which). The old values stay visible in the amendment. `changes` maps
    amendable field names (AMENDABLE_FIELDS) to their new values."""
    unknown = set(changes) - set(AMENDABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not amendable: {', '.join(sorted(unknown))}")
    amended_as = roles.amending_as(session, practitioner)
    locked = locked_current(
        TreatmentSession, session.pk, expected_revision=expected_revision, noun="session"
    )
    if not locked.is_signed:
        raise ValidationError("Only signed sessions are amended; edit this one directly.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the session is being amended."})
    diff = {
        name: {"old": getattr(locked, name), "new": value}
        for name, value in changes.items()
        if getattr(locked, name) != value
    }
    if not diff:
        raise ValidationError("The amendment changes nothing.")
    for name, change in diff.items():
        setattr(locked, name, change["new"])
    locked.save()
    return Amendment.objects.create(
        session=locked,
        amended_by=practitioner,
        amended_as=amended_as,
        reason=reason.strip(),
        changes=diff,
    )
