"""Home-care sheets: made from a session or from scratch, edited as drafts, issued as a
stored PDF that never changes (a correction is a new version).

The rules for a single item are in `rows.py`, who may edit, issue and make a new version
in `roles.py`; the rules that need the client or the sheet's state are here, so the pages
and the API enforce the same ones.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalogue.models import SelfCareWay
from clinic.models import Client, Practitioner
from clinic.revisions import KEEP, Keep, StaleEdit, locked_current
from sessions.cautions import RefusedWithWarnings, rule_book
from sessions.models import TreatmentSession
from sessions.rows import replace_rows

from . import roles
from .cautions import SheetCautions, avoid_message
from .models import HomeCareSheet
from .pdf import printable, render_sheet_pdf
from .rows import ItemRow, usable_at_home

NAMES_ITS_OWN_TOOL = {SelfCareWay.TENNIS_BALL, SelfCareWay.PARTNER}

ISSUED_MESSAGE = "This sheet has been issued and cannot change. Make a new version instead."


@dataclass(frozen=True)
class SheetFromSession:
    sheet: HomeCareSheet
    left_out: list[str]  # the session points left off the sheet: "CV4: Pregnancy"
    reused: bool = False  # the session's existing draft, answered instead (reuse_draft)
    to_review: list[str] = field(default_factory=list)  # cautions kept, to acknowledge


def _save_items(sheet: HomeCareSheet, rows: Sequence[ItemRow], tools: Sequence) -> None:
    """The rows, each with the tool the rules chose for it (SheetCautions)."""
    values = [row.saved_values(tool) for row, tool in zip(rows, tools, strict=True)]
    replace_rows(sheet.items, values)


def unacknowledged(warnings, acknowledged: bool) -> dict:
    if not warnings or acknowledged:
        return {}
    labels = "; ".join(w.label for w in warnings)
    return {
        "caution_acknowledged": (
            f"Some points carry cautions for this client ({labels}). "
            "Tick the acknowledgement to save."
        )
    }


def refuse_if_flags_changed(cautions: SheetCautions, acknowledged, *, action: str) -> None:
    """The client's flags may have changed since the sheet was saved: no point to avoid
    for them now, and every caution that applies now acknowledged."""
    if avoided := cautions.avoided():
        messages = "; ".join(avoid_message(item) for item in avoided)
        raise ValidationError(
            {
                "items": (
                    f"The client's health flags changed: {messages} "
                    f"Edit the sheet before you {action}."
                )
            }
        )
    missing = [w.label for w in cautions.warnings() if w.label not in acknowledged]
    if missing:
        raise ValidationError(
            {
                "caution_acknowledged": (
                    f"The client's health flags changed: {'; '.join(missing)} "
                    f"must be acknowledged (edit and save again) before you {action}."
                )
            }
        )


def _acknowledge(
    sheet: HomeCareSheet, rows: Sequence[ItemRow], acknowledged: bool
) -> SheetCautions:
    """The rows' cautions for the sheet's client: a point to avoid, or a tool a rule rules
    out, is refused; the others need the acknowledgement, stored with their labels."""
    cautions = SheetCautions.for_rows(sheet.client, rows)
    cautions.refuse_avoided()
    warnings = cautions.warnings()
    problems = unacknowledged(warnings, acknowledged)
    if problems:
        raise RefusedWithWarnings(problems, warnings)
    sheet.caution_acknowledged = bool(warnings)
    sheet.acknowledged_cautions = [w.label for w in warnings]
    return cautions


def draft_from_session(*, session: TreatmentSession, made_by: Practitioner) -> HomeCareSheet | None:
    """The newest sheet `made_by` made from this session that is still a draft, if there is
    one (a colleague's draft is theirs to edit, so it is not offered)."""
    drafts = HomeCareSheet.objects.defer("pdf").filter(
        session=session, created_by=made_by, issued_at__isnull=True
    )
    return drafts.order_by("-created_at", "-pk").first()


@transaction.atomic
def sheet_from_session(
    *, session: TreatmentSession, practitioner: Practitioner, reuse_draft: bool = False
) -> SheetFromSession:
    """A draft with the session's self-care points. Points a rule says to avoid for this
    client are left out (`left_out` says which); the other cautions are kept, for the
    practitioner to acknowledge when they save the draft (`to_review`). With `reuse_draft`,
    the practitioner's draft from this session is answered instead if there is one
    (`reused`); it is looked for under the session's lock, so two clicks at once make one
    draft."""
    session.client.refuse_if_archived("make a sheet")
    if reuse_draft:
        TreatmentSession.objects.select_for_update().values_list("pk").get(pk=session.pk)
        draft = draft_from_session(session=session, made_by=practitioner)
        if draft is not None:
            return SheetFromSession(sheet=draft, left_out=[], reused=True)
    book = rule_book(session.client)
    ruled_out = book.excluded_tools()
    rows, seen = [], set()
    for treated in session.treated_points.select_related("point__default_tool", "tool"):
        if treated.point.self_care and treated.point_id not in seen:
            seen.add(treated.point_id)
            rows.append(
                ItemRow(
                    point=treated.point,
                    # On a tennis ball or by a helper, the sheet's text names its own tool.
                    tool=treated.tool
                    if usable_at_home(treated.tool, ruled_out)
                    and treated.point.self_care_with not in NAMES_ITS_OWN_TOOL
                    else None,
                    side=treated.side,
                    duration_seconds=treated.duration_seconds,
                )
            )
    cautions = SheetCautions.for_rows(session.client, rows, book)
    kept = [
        (row, item.tool) for row, item in zip(rows, cautions.items, strict=True) if not item.avoided
    ]
    sheet = HomeCareSheet.objects.create(
        client=session.client, session=session, created_by=practitioner
    )
    _save_items(sheet, [row for row, _ in kept], [tool for _, tool in kept])
    return SheetFromSession(
        sheet=sheet,
        left_out=[left_out_label(item) for item in cautions.avoided()],
        to_review=[w.label for w in cautions.warnings()],
    )


def left_out_label(item) -> str:
    flags = dict.fromkeys(f.rule.flag.label for f in item.avoided)
    return f"{item.point.code}: {', '.join(flags)}"


@transaction.atomic
def create_sheet(
    *,
    client: Client,
    practitioner: Practitioner,
    items: Sequence[ItemRow] = (),
    general_advice: str | None = None,
    large_print: bool = False,
    paper: str = HomeCareSheet.Paper.A4,
    caution_acknowledged: bool = False,
) -> HomeCareSheet:
    client.refuse_if_archived("make a sheet")
    sheet = HomeCareSheet(
        client=client, created_by=practitioner, large_print=large_print, paper=paper
    )
    if general_advice is not None:
        sheet.general_advice = general_advice
    cautions = _acknowledge(sheet, items, caution_acknowledged)
    sheet.save()
    _save_items(sheet, items, [item.tool for item in cautions.items])
    return sheet


@transaction.atomic
def update_sheet(
    *,
    sheet: HomeCareSheet,
    practitioner: Practitioner,
    expected_revision: int | None,
    items: Sequence[ItemRow] | Keep = KEEP,
    general_advice: str | Keep = KEEP,
    large_print: bool | Keep = KEEP,
    paper: str | Keep = KEEP,
    caution_acknowledged: bool | Keep = KEEP,
) -> HomeCareSheet:
    """Edit a draft, over `expected_revision` (None: over whatever is saved now), as its
    maker. What is left out (KEEP) stays as saved, read under the lock."""
    roles.refuse_unless_maker(sheet, practitioner, to="edit")
    locked = locked_current(
        HomeCareSheet, sheet.pk, expected_revision=expected_revision, noun="home-care sheet"
    )
    if locked.is_issued:
        raise ValidationError(ISSUED_MESSAGE)
    locked.client = sheet.client  # already loaded by the caller, and never changes
    for name, value in [
        ("general_advice", general_advice),
        ("large_print", large_print),
        ("paper", paper),
    ]:
        if value is not KEEP:
            setattr(locked, name, value)
    if items is KEEP:
        saved = locked.items.select_related("point__default_tool", "tool")
        items = [ItemRow.of(item) for item in saved]
    if caution_acknowledged is KEEP:
        caution_acknowledged = locked.caution_acknowledged
    cautions = _acknowledge(locked, items, caution_acknowledged)
    locked.save()
    _save_items(locked, items, [item.tool for item in cautions.items])
    return locked


@transaction.atomic
def issue_sheet(
    *, sheet: HomeCareSheet, practitioner: Practitioner, expected_revision: int | None = None
) -> HomeCareSheet:
    """Render, store and fingerprint the sheet's PDF: of the sheet as saved now, or only of
    `expected_revision` (the one reviewed), as the sheet's maker. The sheet is read once,
    under the lock, with everything the PDF shows."""
    roles.refuse_unless_maker(sheet, practitioner, to="issue")
    locked = printable(HomeCareSheet.objects.select_for_update(of=("self",))).get(pk=sheet.pk)
    if expected_revision is not None and locked.revision != expected_revision:
        raise StaleEdit(locked, "home-care sheet")
    if locked.is_issued:
        raise ValidationError("This sheet is already issued.")
    items = list(locked.items.all())
    if not items:
        raise ValidationError("Add at least one point before issuing the sheet.")
    cautions = SheetCautions.for_items(locked.client, items)
    refuse_if_flags_changed(cautions, locked.acknowledged_cautions, action="issue it")
    locked.issued_at = timezone.now()
    locked.issued_by = practitioner
    locked.pdf = render_sheet_pdf(locked, cautions=cautions)
    locked.pdf_sha256 = hashlib.sha256(locked.pdf).hexdigest()
    locked.save()
    return locked


@transaction.atomic
def new_version(*, sheet: HomeCareSheet, practitioner: Practitioner) -> tuple[HomeCareSheet, bool]:
    """A new draft copying an issued sheet, for corrections, and whether it was made now; by
    the sheet's maker or a clinic manager. Items the client's flags now say to avoid are
    left out of it. A sheet has one next version (the database holds
    it to that): asked again, this returns the one there is."""
    roles.refuse_new_version(sheet, practitioner)
    locked = HomeCareSheet.objects.select_for_update(of=("self",)).defer("pdf").get(pk=sheet.pk)
    if not locked.is_issued:
        raise ValidationError("This sheet is still a draft: edit it directly.")
    existing = HomeCareSheet.objects.defer("pdf").filter(supersedes=locked).first()
    if existing is not None:
        return existing, False
    return _copy(locked, practitioner), True


def _copy(sheet: HomeCareSheet, practitioner: Practitioner) -> HomeCareSheet:
    copy = HomeCareSheet.objects.create(
        client_id=sheet.client_id,
        session_id=sheet.session_id,
        created_by=practitioner,
        general_advice=sheet.general_advice,
        large_print=sheet.large_print,
        paper=sheet.paper,
        caution_acknowledged=sheet.caution_acknowledged,
        acknowledged_cautions=sheet.acknowledged_cautions,
        version=sheet.version + 1,
        supersedes=sheet,
    )
    items = list(sheet.items.select_related("point", "tool"))
    # A point the client's flags now say to avoid is not copied (the copy is checked
    # again, in full, when it is saved or issued).
    cautions = SheetCautions.for_items(sheet.client, items)
    for item, caution in zip(items, cautions.items, strict=True):
        if caution.avoided:
            continue
        item.pk = None
        item.sheet = copy
        item.save()
    return copy
