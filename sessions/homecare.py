"""Home-care sheets: made from a session or from scratch, edited as drafts, issued as a
stored PDF that never changes (a correction is a new version)."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalogue.models import PressureTool

from .models import HomeCareSheet
from .services import (
    caution_warnings,
    check_cautions,
    refuse_archived,
    refuse_unacknowledged,
    replace_rows,
)

FALLBACK_SELF_TOOLS = ["knuckle", "thumb", "fingertip"]
ISSUED_MESSAGE = "This sheet has been issued and cannot change. Make a new version instead."
NO_INSTRUCTIONS = "Your practitioner will show you how to find and press this point."


def not_for_self_care(point):
    return f"{point.code} is not marked for self-care: a client cannot press it at home."


def self_care_tool(tool, point):
    """A tool the client can use on themselves: an elbow becomes a knuckle."""
    if tool is not None and tool.self_applicable:
        return tool
    if point.default_tool is not None and point.default_tool.self_applicable:
        return point.default_tool
    tools = {t.slug: t for t in PressureTool.objects.filter(slug__in=FALLBACK_SELF_TOOLS)}
    for slug in FALLBACK_SELF_TOOLS:
        if slug in tools:
            return tools[slug]
    raise ValidationError({"tool": "Choose a tool the client can use on themselves."})


def _item_values(row):
    point = row["point"]
    return {
        "point": point,
        "tool": self_care_tool(row.get("tool"), point),
        "duration_seconds": row.get("duration_seconds") or point.default_duration_seconds,
        "times_per_day": row.get("times_per_day") or 2,
        "side": row.get("side") or "both",
        "instructions": (row.get("instructions") or "").strip()
        or point.self_care_instructions
        or NO_INSTRUCTIONS,
    }


def _save_items(sheet, rows):
    for row in rows:
        if not row["point"].self_care:
            raise ValidationError({"items": not_for_self_care(row["point"])})
    replace_rows(sheet.items, [_item_values(row) for row in rows])


@transaction.atomic
def sheet_from_session(*, session, practitioner):
    """A draft with the session's self-care points. Points cautioned for this client are
    left out; the returned labels say which, so the practitioner can decide."""
    refuse_archived(session.client, "make a sheet")
    rows, seen = [], set()
    for treated in session.treated_points.select_related("point__default_tool", "tool"):
        if treated.point.self_care and treated.point_id not in seen:
            seen.add(treated.point_id)
            rows.append(
                {
                    "point": treated.point,
                    "tool": treated.tool,
                    "side": treated.side,
                    "duration_seconds": treated.duration_seconds,
                }
            )
    cautioned = caution_warnings(session.client, rows)
    left_out = {w.point.pk for w in cautioned}
    sheet = HomeCareSheet.objects.create(
        client=session.client, session=session, created_by=practitioner
    )
    _save_items(sheet, [row for row in rows if row["point"].pk not in left_out])
    return sheet, [w.label for w in cautioned]


@transaction.atomic
def create_sheet(
    *, client, practitioner, rows, fields=None, caution_acknowledged=False, session=None
):
    refuse_archived(client, "make a sheet")
    acknowledged = check_cautions(client, rows, caution_acknowledged)
    sheet = HomeCareSheet.objects.create(
        client=client,
        session=session,
        created_by=practitioner,
        caution_acknowledged=bool(acknowledged),
        acknowledged_cautions=acknowledged,
        **(fields or {}),
    )
    _save_items(sheet, rows)
    return sheet


@transaction.atomic
def update_sheet(sheet, *, rows, fields, caution_acknowledged):
    sheet = HomeCareSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.is_issued:
        raise ValidationError(ISSUED_MESSAGE)
    acknowledged = check_cautions(sheet.client, rows, caution_acknowledged)
    for name, value in fields.items():
        setattr(sheet, name, value)
    sheet.caution_acknowledged = bool(acknowledged)
    sheet.acknowledged_cautions = acknowledged
    sheet.save()
    _save_items(sheet, rows)
    return sheet


@transaction.atomic
def issue_sheet(sheet, *, practitioner):
    from .pdf import render_sheet_pdf

    sheet = HomeCareSheet.objects.select_for_update().select_related("client").get(pk=sheet.pk)
    if sheet.is_issued:
        raise ValidationError("This sheet is already issued.")
    rows = [{"point": item.point} for item in sheet.items.select_related("point")]
    if not rows:
        raise ValidationError("Add at least one point before issuing the sheet.")
    refuse_unacknowledged(sheet.client, rows, sheet.acknowledged_cautions, "issue it")
    sheet.issued_at = timezone.now()
    sheet.issued_by = practitioner
    pdf = render_sheet_pdf(sheet, issued_at=sheet.issued_at, issued_by=practitioner)
    sheet.pdf = pdf
    sheet.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    sheet.save()
    return sheet


@transaction.atomic
def new_version(sheet, *, practitioner):
    """A new draft copying an issued sheet, for corrections."""
    if not sheet.is_issued:
        raise ValidationError("This sheet is still a draft: edit it directly.")
    items = list(sheet.items.all())
    copy = HomeCareSheet.objects.create(
        client=sheet.client,
        session=sheet.session,
        created_by=practitioner,
        general_advice=sheet.general_advice,
        large_print=sheet.large_print,
        paper=sheet.paper,
        caution_acknowledged=sheet.caution_acknowledged,
        acknowledged_cautions=sheet.acknowledged_cautions,
        version=sheet.version + 1,
        supersedes=sheet,
    )
    for item in items:
        item.pk = None
        item.sheet = copy
        item.save()
    return copy
