"""The load data's clinical records: sessions with their points, conditions and
amendments; home-care sheets; referral letters."""

import hashlib
from datetime import timedelta

from django.db import connection

from catalogue.models import Condition, Point, PressureTool, WarningSign
from clinic.models import Practitioner
from homecare.models import HomeCareItem, HomeCareSheet
from letters.models import ReferralLetter
from operations.demo.history import issue_sheet_from
from sessions.models import Amendment, SessionCondition, TreatedPoint, TreatmentSession
from sessions.rows import ROW_FIELDS

from .bulk import Table, has_field, next_id, reset_sequences
from .diary import SLOTS_A_DAY

RECIPES = [
    ["BL23", "BL40", "BL60", "KI3"],
    ["GB30", "BL40", "GB34", "BL57"],
    ["GB20", "SI3", "GB21", "TE5"],
    ["LI4", "GB20", "LR3", "EX-HN5"],
    ["GB21", "LI4", "LR3", "PC6"],
    ["PC6", "HT7", "EX-HN3", "ST36"],
]
CONDITIONS = ["low-back-pain", "leg-pain-sciatica", "neck-pain", "headache", "tension", "stress"]
COMPLAINTS = [slug.replace("-", " ").capitalize() for slug in CONDITIONS]
NOTES = [
    "Eased during the session.",
    "A little easier.",
    "Much easier by the end.",
    "No change today.",
]


def write_sessions(rng, planned, sizes, at_slot, clinic_of_client, progress):
    points = Point.objects.select_related("default_tool").in_bulk(
        {code for recipe in RECIPES for code in recipe}, field_name="code"
    )
    tool = PressureTool.objects.filter(is_active=True).order_by("position").first()
    recipes = [
        [
            (
                p.pk,
                p.default_tool_id or tool.pk,
                "both" if p.bilateral else "midline",
                p.default_duration_seconds or 120,
            )
            for code in recipe
            if (p := points.get(code))
        ]
        for recipe in RECIPES
    ]
    conditions = Condition.objects.in_bulk(CONDITIONS, field_name="slug")
    condition_ids = [conditions[slug].pk if slug in conditions else None for slug in CONDITIONS]
    unsigned_left = {}  # each practitioner's latest few sessions are drafts
    for _, practitioner, _ in planned:
        unsigned_left[practitioner] = unsigned_left.get(practitioner, 0) + 1
    unsigned_left = {p: min(15, n // 10) for p, n in unsigned_left.items()}
    unsigned = set()
    for index in range(len(planned) - 1, -1, -1):
        practitioner = planned[index][1]
        if unsigned_left[practitioner]:
            unsigned_left[practitioner] -= 1
            unsigned.add(index)
    with_clinic = has_field(TreatmentSession, "clinic")
    names = [
        "id",
        "client",
        "practitioner",
        "started_at",
        "complaint",
        "pain_before",
        "pain_after",
        "outcome",
        "notes",
        "follow_up",
        "signed_at",
        "signed_by",
        "created_at",
        "updated_at",
    ] + (["clinic"] if with_clinic else [])
    sessions_table = Table(TreatmentSession, names)
    points_table = Table(
        TreatedPoint,
        [
            "id",
            "session",
            "position",
            *ROW_FIELDS,
        ],
    )
    links_table = Table(SessionCondition, ["id", "session", "condition"])
    amendments = Table(
        Amendment, ["session", "amended_by", "amended_as", "amended_at", "reason", "changes"]
    )
    first_id, point_id, link_id = (
        next_id(TreatmentSession),
        next_id(TreatedPoint),
        next_id(SessionCondition),
    )
    batch = 20_000
    for start in range(0, len(planned), batch):
        rows, point_rows, links, amended = [], [], [], []
        for index in range(start, min(start + batch, len(planned))):
            slot, practitioner, client = planned[index]
            started = at_slot(slot // SLOTS_A_DAY, slot % SLOTS_A_DAY)
            signed = started + timedelta(minutes=50)
            kind = rng.randrange(len(RECIPES))
            before = rng.randint(3, 9)
            after = max(0, before - rng.randint(0, 3))
            draft = index in unsigned
            row = (
                first_id + index,
                client,
                practitioner,
                started,
                COMPLAINTS[kind],
                before,
                after,
                "improved" if after < before else "unchanged",
                NOTES[before - after],
                "Next week.",
                None if draft else signed,
                None if draft else practitioner,
                started,
                signed,
            ) + ((clinic_of_client[client],) if with_clinic else ())
            rows.append(row)
            for position, (point, tool_id, side, seconds) in enumerate(recipes[kind]):
                timed = rng.random() < 0.5
                point_rows.append(
                    (
                        point_id,
                        first_id + index,
                        position,
                        point,
                        side,
                        tool_id,
                        seconds,
                        "moderate",
                        rng.choice(["relief", "tender", "no_change", ""]),
                        seconds if timed else None,
                        "time_up" if timed else "",
                    )
                )
                point_id += 1
            if condition_ids[kind]:
                links.append((link_id, first_id + index, condition_ids[kind]))
                link_id += 1
            if not draft and rng.random() < 0.002:
                amended.append(
                    (
                        first_id + index,
                        practitioner,
                        "treating",
                        signed + timedelta(days=1),
                        "Typing error in the notes.",
                        {"notes": {"old": "Eased.", "new": NOTES[before - after]}},
                    )
                )
        sessions_table.write(rows)
        points_table.write(point_rows)
        links_table.write(links)
        amendments.write(amended)
        if sessions_table.written % 100_000 < batch:
            progress(f"sessions ({points_table.written:,} treated points)", sessions_table.written)
    reset_sequences(TreatmentSession, TreatedPoint, SessionCondition, Amendment)
    progress(
        f"sessions, {len(unsigned):,} unsigned; {amendments.written:,} amendments",
        sessions_table.written,
    )


def issue_template_sheet(client_id, practitioner_id, progress):
    """One sheet made and issued through the app's own services, from the latest signed
    session of the client with 508 sessions: its PDF is the one every issued sheet stores."""
    practitioner = Practitioner.objects.get(pk=practitioner_id)
    session = TreatmentSession.objects.filter(client_id=client_id, signed_at__isnull=False).first()
    sheet = issue_sheet_from(session, practitioner)
    progress(f"home-care sheet issued through the app (PDF of {len(sheet.pdf):,} bytes)", 1)
    return sheet


def write_sheets(rng, planned, sizes, at_slot, made, clinic_of_client, progress):
    first_session = TreatmentSession.objects.order_by("pk").values_list("pk", flat=True).first()
    pdf, digest = bytes(made.pdf), hashlib.sha256(bytes(made.pdf)).hexdigest()
    sheets = Table(
        HomeCareSheet,
        [
            "id",
            "client",
            "clinic",
            "session",
            "created_by",
            "created_at",
            "issued_at",
            "issued_by",
            "pdf",
            "pdf_sha256",
        ],
    )
    items = Table(
        HomeCareItem,
        ["sheet", "position", "point", "tool", "duration_seconds", "side", "instructions"],
    )
    made_items = list(
        made.items.values_list("point", "tool", "duration_seconds", "side", "instructions")
    )
    sheet_id = next_id(HomeCareSheet)
    chosen = sorted(rng.sample(range(len(planned)), min(sizes.sheets - 1, len(planned))))
    issued = set(rng.sample(range(len(chosen)), min(sizes.issued - 1, len(chosen))))
    rows, item_rows = [], []
    for k, index in enumerate(chosen):
        slot, practitioner, client = planned[index]
        created = at_slot(slot // SLOTS_A_DAY, slot % SLOTS_A_DAY) + timedelta(hours=1)
        done = k in issued
        rows.append(
            (
                sheet_id,
                client,
                clinic_of_client[client],
                first_session + index,
                practitioner,
                created,
                created if done else None,
                practitioner if done else None,
                pdf if done else None,
                digest if done else "",
            )
        )
        item_rows.extend((sheet_id, position, *item) for position, item in enumerate(made_items))
        sheet_id += 1
        if len(rows) >= 500:  # the PDFs make these rows large
            sheets.write(rows)
            items.write(item_rows)
            rows, item_rows = [], []
    sheets.write(rows)
    items.write(item_rows)
    reset_sequences(HomeCareSheet, HomeCareItem)
    progress(
        f"home-care sheets, {len(issued) + 1:,} issued ({items.written:,} items)",
        sheets.written + 1,
    )


def write_letters(rng, planned, sizes, clinic_of_client, progress):
    keys = list(WarningSign.objects.values_list("key", flat=True)[:20])
    if not keys:
        return
    first_session = TreatmentSession.objects.order_by("pk").values_list("pk", flat=True).first()
    chosen = rng.sample(range(len(planned)), min(sizes.letters, len(planned)))
    rows, found = [], []
    for index in chosen:
        _, practitioner, client = planned[index]
        key = rng.choice(keys)
        rows.append((first_session + index, client, clinic_of_client[client], practitioner, [key]))
        found.append((["sign:" + key], first_session + index))
    Table(ReferralLetter, ["session", "client", "clinic", "created_by", "warning_signs"]).write(
        rows
    )
    # The sessions' check-in found the sign the letter is about.
    asked = "check_in_asked"
    table = TreatmentSession._meta.db_table

    field = TreatmentSession._meta.get_field("check_in_found")
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET check_in_found = %s, {asked} = %s, "
            "check_in_acknowledged = %s WHERE id = %s",
            [
                (
                    field.get_db_prep_save(codes, connection),
                    field.get_db_prep_save(codes, connection),
                    True,
                    pk,
                )
                for codes, pk in found
            ],
        )
    reset_sequences(ReferralLetter)
    progress("referral letters (drafts)", len(rows))
