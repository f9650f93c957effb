"""A demo client's history: a few weekly sessions, signed, with the points pressed, how the
client responded, the hold timer's seconds and how each hold ended, where it hurt, and a
home-care sheet issued from the latest session. Written through the same services as the
pages, so every rule (cautions, check-in, signing) holds for the demo as for real records.

The points are a practitioner's usual picks for the condition, often far from the pain
(a hand point for a headache). The demo presses as a careful practitioner would: a point
with any caution of its own for the client's flags (at the point or on its region, even a
note of tradition only) is left out, and a whole-body rule is met with light pressure.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from catalogue.cautioning import LOCATION_SCOPES
from catalogue.models import Condition, Point, PressureTool
from clinic.models import Client, Practitioner
from homecare import services as homecare
from homecare.models import HomeCareSheet
from sessions import services as sessions
from sessions.cautions import row_warnings, rule_book
from sessions.models import (
    HoldEnded,
    Outcome,
    PointResponse,
    Pressure,
    Side,
    TreatmentSession,
)
from sessions.pain_marks import PainMark
from sessions.rows import PointRow

SESSIONS = 4
POINTS = {
    "low-back-pain": ["BL23", "BL40", "BL60", "KI3"],
    "leg-pain-sciatica": ["GB30", "BL40", "GB34", "BL57"],
    "neck-pain": ["GB20", "SI3", "GB21", "TE5"],
    "headache": ["LI4", "GB20", "LR3", "EX-HN5"],
    "tension": ["GB21", "LI4", "LR3", "PC6"],
    "stress": ["PC6", "HT7", "EX-HN3", "ST36"],
    "anxiety": ["PC6", "HT7", "EX-HN3", "KI1"],
}
# Where it hurts: (view, x, y, size) in percent of the view, x on the viewer's left half
# for the client's left side. Stress and anxiety have no place to mark.
PAIN = {
    "low-back-pain": [("lower_back", 50, 32, 11)],
    "leg-pain-sciatica": [("leg_back", 20, 20, 7), ("leg_back", 24, 40, 4)],
    "neck-pain": [("head_back", 50, 88, 7)],
    "headache": [("head_side", 14, 36, 7)],
    "tension": [("upper_back", 32, 14, 7), ("upper_back", 68, 14, 7)],
}
ONE_SIDED = {"leg-pain-sciatica"}  # pressed on the painful side only
NOTES = {  # by how many points the pain came down
    3: "Much easier by the end; moving more freely.",
    2: "Eased during the session.",
    1: "A little easier.",
    0: "No change today.",
}


def give_history(client: Client, *, conditions: list[str]) -> bool:
    """The client's sessions and sheet, unless the client has sessions already (so running
    the demo twice adds nothing). False when there was nothing safe to press."""
    if TreatmentSession.objects.filter(client=client).exists():
        return False
    practitioner = client.primary_practitioner
    rng = random.Random(f"{client.first_name} {client.last_name}")
    treated = list(Condition.objects.filter(slug__in=conditions, is_active=True))
    rows = _usable_rows(client, conditions, side=_painful_side(client, conditions))
    if not rows:
        return False
    zone = ZoneInfo(client.clinic.time_zone or settings.TIME_ZONE)
    today = timezone.now().astimezone(zone).date()
    first_day = today - timedelta(days=7 * (SESSIONS - 1) + rng.randint(2, 6))
    if not client.has_consent:  # recorded at the first visit, before it
        client.consent_given_at = datetime.combine(first_day, time(9), tzinfo=zone)
        client.consent_recorded_by = practitioner
        client.save()
    pain = rng.randint(6, 8)
    session = None
    for number in range(SESSIONS):
        day = first_day + timedelta(days=7 * number)
        started_at = datetime.combine(day, time(9 + rng.randint(0, 7), 30), tzinfo=zone)
        session = _session(
            client,
            practitioner,
            rng,
            started_at=started_at,
            conditions=treated,
            rows=_rows_of_session(rows, number),
            pain_before=max(1, pain - number),
            complaint=client.health_history if number == 0 else "Follow-up.",
            marks=_marks(conditions, side=rows[0].side),
        )
    issue_sheet_from(session, practitioner)
    return True


def _painful_side(client: Client, conditions: list[str]) -> str:
    if not ONE_SIDED & set(conditions):
        return Side.BOTH
    history = client.health_history.lower()
    return Side.LEFT if "left" in history else Side.RIGHT if "right" in history else Side.BOTH


def _marks(conditions: list[str], *, side: str) -> list[tuple]:
    marks = [mark for slug in conditions for mark in PAIN.get(slug, [])]
    if side != Side.RIGHT:
        return marks
    return [(view, 100 - x, y, size) for view, x, y, size in marks]


def _usable_rows(client: Client, conditions: list[str], *, side: str) -> list[PointRow]:
    """The condition's usual points without a caution of their own for this client, each
    at the firmest pressure its whole-body rules allow without an acknowledgement."""
    codes = list(dict.fromkeys(code for slug in conditions for code in POINTS.get(slug, [])))
    found = Point.objects.active().select_related("default_tool").in_bulk(codes, field_name="code")
    # A tennis ball is for pressing at home against a wall; at the table, the elbow.
    elbow = PressureTool.objects.filter(slug="elbow", is_active=True).first()
    book = rule_book(client)
    rows = []
    for code in codes:
        point = found.get(code)
        if point is None or point.default_tool is None or not point.default_tool.is_active:
            continue
        for pressure in (Pressure.MODERATE, Pressure.LIGHT):
            row = PointRow(
                point=point,
                side=side if point.bilateral else Side.MIDLINE,
                tool=elbow if point.default_tool.slug == "tennis-ball" else None,
                pressure=pressure,
            )
            findings = [f for w in row_warnings(book, [row]) for f in w.findings]
            if any(f.rule.scope in LOCATION_SCOPES for f in findings):
                break
            if not any(f.breached for f in findings):
                rows.append(row)
                break
    return rows[:4]


def _rows_of_session(rows: list[PointRow], number: int) -> list[PointRow]:
    """The first three points at the first two sessions; the fourth joins at the third and
    one of the first is dropped at the fourth, so the points are not always used together."""
    if len(rows) < 4 or number < 2:
        return rows[:3]
    return rows[:3] + rows[3:] if number == 2 else rows[:2] + rows[3:]


def _held(rng: random.Random, row: PointRow) -> PointRow:
    """How the client responded to the point and how its hold ended."""
    response = rng.choices(list(PointResponse), weights=[5, 2, 2, 1])[0]
    if response == PointResponse.RELIEF:
        ended, held = HoldEnded.RELIEF, rng.randrange(60, 175, 5)
    elif response == PointResponse.DISCOMFORT:
        ended, held = HoldEnded.TOO_TENDER, rng.randrange(15, 50, 5)
    else:
        ended, held = HoldEnded.TIME_UP, row.point.default_duration_seconds or 180
    return PointRow(
        point=row.point,
        side=row.side,
        tool=row.tool,
        pressure=row.pressure,
        duration_seconds=held,
        response=response,
        held_seconds=held,
        hold_ended=ended,
    )


def _session(
    client,
    practitioner: Practitioner,
    rng,
    *,
    started_at,
    conditions,
    rows,
    pain_before,
    complaint,
    marks,
):
    change = rng.randint(1, 3)
    pain_after = max(0, pain_before - change)
    session = sessions.record_session(
        client=client,
        practitioner=practitioner,
        started_at=started_at,
        pain_before=pain_before,
        pain_after=pain_after,
        outcome=Outcome.RESOLVED if pain_after == 0 else Outcome.IMPROVED,
        notes=NOTES[pain_before - pain_after],
        complaint=complaint,
        follow_up="Next week, and the home-care points daily.",
        conditions=conditions,
        points=[_held(rng, row) for row in rows],
        pain_marks=[
            PainMark(view=view, x=x, y=y, radius=size, intensity=max(1, pain_before))
            for view, x, y, size in marks
        ],
    )
    return sessions.sign_session(session=session, practitioner=practitioner)


def issue_sheet_from(session: TreatmentSession, practitioner: Practitioner) -> HomeCareSheet | None:
    """The session's sheet, its cautions acknowledged, issued (none without self-care points)."""
    made = homecare.sheet_from_session(session=session, practitioner=practitioner)
    if not made.sheet.items.exists():
        return None
    sheet = made.sheet
    if made.to_review:
        sheet = homecare.update_sheet(
            sheet=sheet,
            practitioner=practitioner,
            expected_revision=None,
            caution_acknowledged=True,
        )
    return homecare.issue_sheet(sheet=sheet, practitioner=practitioner)
