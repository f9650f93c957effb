"""Writes that span a session and its points: recorded, edited, signed, amended.

Field-level checks live in the forms and serializers; the rules that need the client,
the catalogue or the clock live here, so the pages and the API enforce the same ones.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Amendment, TreatmentSession

CLOCK_SKEW = timedelta(minutes=5)
AMENDABLE_FIELDS = [
    "complaint",
    "pain_after",
    "outcome",
    "notes",
    "adverse_reaction",
    "follow_up",
]
SIGNED_MESSAGE = "This session is signed and can no longer be edited. Add an amendment instead."


@dataclass(frozen=True)
class CautionWarning:
    index: int
    point: object
    flags: tuple
    notes: tuple

    @property
    def label(self):
        return f"{self.point.code}: {', '.join(self.flags)}"


def unacknowledged_cautions(client, point_rows, acknowledged):
    """Cautions that match the client's flags today but were not acknowledged: the
    client's flags may have changed since the record was saved."""
    labels = [w.label for w in caution_warnings(client, point_rows)]
    return [label for label in labels if label not in acknowledged]


def refuse_unacknowledged(client, point_rows, acknowledged, action):
    missing = unacknowledged_cautions(client, point_rows, acknowledged)
    if missing:
        raise ValidationError(
            {
                "caution_acknowledged": (
                    f"The client's health flags changed: {'; '.join(missing)} "
                    f"must be acknowledged (edit and save again) before you {action}."
                )
            }
        )


def caution_warnings(client, point_rows):
    """Rows whose point carries a caution matching one of the client's health flags."""
    client_flags = set(client.health_flags)
    warnings = []
    for index, row in enumerate(point_rows):
        cautions = [c for c in row["point"].point_cautions.all() if c.flag in client_flags]
        if cautions:
            warnings.append(
                CautionWarning(
                    index=index,
                    point=row["point"],
                    flags=tuple(c.get_flag_display() for c in cautions),
                    notes=tuple(c.note for c in cautions),
                )
            )
    return warnings


EARLIEST_SESSION = datetime(2000, 1, 1, tzinfo=UTC)


def refuse_archived(client, to_do):
    if client.archived:
        raise ValidationError(f"This client is archived. Restore them to {to_do}.")


def check_started_at(started_at):
    if started_at and started_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"started_at": "The start time cannot be in the future."})
    if started_at and started_at < EARLIEST_SESSION:
        raise ValidationError({"started_at": "Check the year: sessions start in 2000 or later."})


def check_cautions(client, point_rows, acknowledged):
    warnings = caution_warnings(client, point_rows)
    if warnings and not acknowledged:
        raise ValidationError(
            {
                "caution_acknowledged": (
                    "Some points carry cautions for this client ("
                    + "; ".join(w.label for w in warnings)
                    + "). Tick the acknowledgement to save."
                )
            }
        )
    return [w.label for w in warnings]


def _with_defaults(row):
    point = row["point"]
    return {
        **row,
        "tool": row.get("tool") or point.default_tool,
        "duration_seconds": row.get("duration_seconds") or point.default_duration_seconds,
    }


def replace_rows(related, rows):
    """Give a draft record these rows, in order. Unchanged rows are left alone, so the
    history only records real edits."""
    current = [
        {name: getattr(obj, name) for name in (rows[0] if rows else {})}
        for obj in related.order_by("position", "pk")
    ]
    if current == rows:
        return
    related.all().delete()
    for position, row in enumerate(rows):
        related.create(position=position, **row)


def _save_points(session, point_rows):
    replace_rows(session.treated_points, [_with_defaults(row) for row in point_rows])


@transaction.atomic
def record_session(*, client, practitioner, fields, conditions, points, caution_acknowledged):
    refuse_archived(client, "record a session")
    check_started_at(fields.get("started_at"))
    acknowledged = check_cautions(client, points, caution_acknowledged)
    session = TreatmentSession.objects.create(
        client=client,
        practitioner=practitioner,
        caution_acknowledged=bool(acknowledged) and caution_acknowledged,
        acknowledged_cautions=acknowledged,
        **fields,
    )
    session.conditions.set(conditions)
    _save_points(session, points)
    return session


@transaction.atomic
def update_session(session, *, fields, conditions, points, caution_acknowledged):
    session = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if session.is_signed:
        raise ValidationError(SIGNED_MESSAGE)
    check_started_at(fields.get("started_at"))
    acknowledged = check_cautions(session.client, points, caution_acknowledged)
    for name, value in fields.items():
        setattr(session, name, value)
    session.caution_acknowledged = bool(acknowledged) and caution_acknowledged
    session.acknowledged_cautions = acknowledged
    session.save()
    session.conditions.set(conditions)
    _save_points(session, points)
    return session


@transaction.atomic
def sign_session(session, *, practitioner):
    session = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if session.is_signed:
        raise ValidationError("This session is already signed.")
    if session.practitioner_id != practitioner.pk:
        raise ValidationError(
            f"Only {session.practitioner}, who recorded this session, can sign it."
        )
    missing = {}
    if session.pain_after is None:
        missing["pain_after"] = "Record the pain after treatment before signing."
    if not session.outcome:
        missing["outcome"] = "Record the outcome before signing."
    if not session.treated_points.exists():
        missing["points"] = "Record at least one point before signing."
    if missing:
        raise ValidationError(missing)
    rows = [{"point": tp.point} for tp in session.treated_points.select_related("point")]
    refuse_unacknowledged(session.client, rows, session.acknowledged_cautions, "sign")
    session.signed_at = timezone.now()
    session.signed_by = practitioner
    session.save(update_fields=["signed_at", "signed_by", "updated_at"])
    return session


@transaction.atomic
def amend_session(session, *, practitioner, reason, changes):
    """Correct a signed session. The old values stay visible in the amendment."""
    session = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_signed:
        raise ValidationError("Only signed sessions are amended; edit this one directly.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the session is being amended."})
    diff = {
        name: {"old": getattr(session, name), "new": value}
        for name, value in changes.items()
        if name in AMENDABLE_FIELDS and getattr(session, name) != value
    }
    if not diff:
        raise ValidationError("The amendment changes nothing.")
    for name, change in diff.items():
        setattr(session, name, change["new"])
    session.save()
    return Amendment.objects.create(
        session=session, amended_by=practitioner, reason=reason.strip(), changes=diff
    )
