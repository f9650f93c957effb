"""The load data set of issue 16: a service of 20 clinics at the scale asked for.

At scale 1.0: 100,000 clients (20,000 in the first clinic), 1,000,000 signed treatment
sessions over twenty years (200,000 in the first clinic, 99,000 of them the benchmark
practitioner's, one client with 508), four treated points and a condition each, 20,000
home-care sheets with three items (2,000 issued, each with the PDF the app rendered for the
first), referral letters, amendments, access log entries, and a diary: past appointments
completed by their sessions, today's and the next four weeks' appointments, and treatment
plans. Scale 0.1 is a tenth of the history over two years, with the same clinics and staff.
The same scale gives the same data (seeded random).
"""

import hashlib
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from catalogue.models import Condition, HealthFlag, Point, PressureTool, WarningSign
from clinic.models import AccessEvent, Client, Clinic, Practitioner
from homecare.models import HomeCareItem, HomeCareSheet
from letters.models import ReferralLetter
from operations.demo.history import issue_sheet_from
from scheduling.models import (
    Appointment,
    AppointmentType,
    DiarySettings,
    Room,
    TreatmentPlan,
    WorkingHours,
)
from sessions.models import Amendment, SessionCondition, TreatedPoint, TreatmentSession
from sessions.rows import ROW_FIELDS

from .bulk import Table, added_to_history, has_field, next_id, reset_sequences
from .names import FIRST_NAMES, LAST_NAMES, STREETS

ZONE = ZoneInfo("Europe/London")
SLOTS_A_DAY = 20  # half-hour slots from 08:00
BENCH_USERNAME = "bench"
HEAVY_SESSIONS = 508
STAFF_OF_BIG_CLINIC, STAFF_OF_OTHERS = 5, 3


@dataclass(frozen=True)
class Sizes:
    clinics: int
    clients: int
    big_clinic_clients: int
    sessions: int
    big_clinic_sessions: int
    bench_sessions: int
    sheets: int
    issued: int
    letters: int
    access_events: int
    history_days: int

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        def n(full, least=1):
            return max(least, round(full * scale))

        return cls(
            clinics=20,
            clients=n(100_000, 40),
            big_clinic_clients=n(20_000, 10),
            sessions=n(1_000_000, 400),
            big_clinic_sessions=n(200_000, 100),
            bench_sessions=n(99_000, 60),
            sheets=n(20_000, 10),
            issued=n(2_000, 2),
            letters=n(2_000, 2),
            access_events=n(500_000, 50),
            history_days=n(7_300, 60),
        )


class Progress:
    def __init__(self, write):
        self.write, self.started = write, time.monotonic()

    def __call__(self, what: str, count: int | None = None):
        counted = f"{count:,} " if count is not None else ""
        self.write(f"[{time.monotonic() - self.started:7.1f} s] {counted}{what}")


def generate(*, scale: float, password: str, seed: int, progress: Progress) -> dict:
    rng = random.Random(f"{seed}:{scale}")
    sizes = Sizes.at(scale)
    now = timezone.now()
    today = now.astimezone(ZONE).date()
    first_day = today - timedelta(days=sizes.history_days)

    def at_slot(day_offset: int, slot: int, day0=first_day) -> datetime:
        day = day0 + timedelta(days=day_offset)
        local = datetime.combine(day, clock(8), tzinfo=ZONE) + timedelta(minutes=30 * slot)
        return local.astimezone(UTC)

    # Clinics, their staff and diary set-up.
    clinic_ids = list(range(next_id(Clinic), next_id(Clinic) + sizes.clinics))
    Table(Clinic, ["id", "name", "address", "phone", "email", "time_zone"]).write(
        [
            (
                cid,
                f"{rng.choice(STREETS)} Acupressure {n + 1}",
                f"{n + 1} {rng.choice(STREETS)}",
                f"020 7946 {n:04d}",
                f"clinic{n + 1}@example.com",
                "Europe/London",
            )
            for n, cid in enumerate(clinic_ids)
        ]
    )
    Table(DiarySettings, ["clinic"]).write([(cid,) for cid in clinic_ids])
    User = get_user_model()
    hashed = make_password(password)
    staff = {}  # clinic id -> practitioner ids, the benchmark practitioner first
    users, practitioners = [], []
    user_id, practitioner_id = next_id(User), next_id(Practitioner)
    for n, cid in enumerate(clinic_ids):
        staff[cid] = []
        for k in range(STAFF_OF_BIG_CLINIC if n == 0 else STAFF_OF_OTHERS):
            username = BENCH_USERNAME if (n, k) == (0, 0) else f"load{n + 1}-{k + 1}"
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            users.append((user_id, username, hashed, f"{username}@example.com", first, last, now))
            role = Practitioner.Role.MANAGER if k == 0 else Practitioner.Role.PRACTITIONER
            practitioners.append(
                (practitioner_id, user_id, cid, f"{first} {last}", "Diploma in Acupressure", role)
            )
            staff[cid].append(practitioner_id)
            user_id += 1
            practitioner_id += 1
    Table(
        User, ["id", "username", "password", "email", "first_name", "last_name", "date_joined"]
    ).write(users)
    Table(Practitioner, ["id", "user", "clinic", "display_name", "qualification", "role"]).write(
        practitioners
    )
    user_of = {p[0]: p[1] for p in practitioners}
    name_of_user = {u[0]: u[1] for u in users}
    clinic_of_practitioner = {p[0]: p[2] for p in practitioners}
    room_ids, type_ids = _diary_setup(clinic_ids, staff)
    progress("clinics, with their practitioners, rooms, types and hours", len(clinic_ids))

    # Clients.
    per_clinic = _split(sizes.clients - sizes.big_clinic_clients, sizes.clinics - 1)
    clients_of = {}
    client_rows = []
    cid_next = next_id(Client)
    flags = list(
        HealthFlag.objects.recordable().filter(has_site=False).values_list("code", flat=True)
    )
    for n, cid in enumerate(clinic_ids):
        count = sizes.big_clinic_clients if n == 0 else per_clinic[n - 1]
        clients_of[cid] = list(range(cid_next, cid_next + count))
        for k, client_id in enumerate(clients_of[cid]):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 60 * 365))
            joined = at_slot(rng.randrange(0, sizes.history_days), 0)
            client_rows.append(
                [
                    client_id,
                    cid,
                    first,
                    last,
                    born,
                    f"07700 {client_id % 1_000_000:06d}",
                    f"{first}.{last}.{client_id}@example.com".lower(),
                    f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
                    [rng.choice(flags)] if flags and rng.random() < 0.1 else [],
                    joined,
                    staff[cid][0],
                    staff[cid][k % len(staff[cid])],
                    joined if rng.random() < 0.05 and k > 0 else None,
                    joined,
                    None,
                ]
            )
        cid_next += count
    heavy_client = clients_of[clinic_ids[0]][0]
    for row in client_rows[:1]:  # the client with 508 sessions: no flags, never archived
        row[8], row[12] = [], None
    archived = {row[0] for row in client_rows if row[12] is not None}

    # Sessions: each practitioner's on distinct half-hour slots, the clinic's share of the
    # total; the benchmark practitioner's first 508 with one client.
    other_sessions = _split(sizes.sessions - sizes.big_clinic_sessions, sizes.clinics - 1)
    planned = []  # (slot number, practitioner id, client id)
    slots = sizes.history_days * SLOTS_A_DAY
    for n, cid in enumerate(clinic_ids):
        team = staff[cid]
        if n == 0:
            shares = [sizes.bench_sessions] + _split(
                sizes.big_clinic_sessions - sizes.bench_sessions, len(team) - 1
            )
        else:
            shares = _split(other_sessions[n - 1], len(team))
        active = [c for c in clients_of[cid] if c not in archived and c != heavy_client]
        for practitioner, share in zip(team, shares, strict=True):
            taken = sorted(rng.sample(range(slots), min(share, slots)))
            heavy = (
                set(rng.sample(range(len(taken)), min(HEAVY_SESSIONS, len(taken) // 2)))
                if (practitioner == team[0] and n == 0)
                else set()
            )
            for k, slot in enumerate(taken):
                client = heavy_client if k in heavy else rng.choice(active)
                planned.append((slot, practitioner, client))
    planned.sort()
    clinic_of_client = {row[0]: row[1] for row in client_rows}
    last_session = {}
    for slot, _, client in planned:
        last_session[client] = slot
    if has_field(Client, "last_session_at"):
        for row in client_rows:
            slot = last_session.get(row[0])
            row[14] = at_slot(slot // SLOTS_A_DAY, slot % SLOTS_A_DAY) if slot is not None else None
    names = [
        "id",
        "clinic",
        "first_name",
        "last_name",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "health_flags",
        "consent_given_at",
        "consent_recorded_by",
        "primary_practitioner",
        "archived_at",
        "created_at",
    ]
    if has_field(Client, "last_session_at"):
        names.append("last_session_at")
    else:
        client_rows = [row[:14] for row in client_rows]
    Table(Client, names).write_all(client_rows)
    added_to_history(Client)
    _search_words(client_rows, progress)
    progress("clients", len(client_rows))
    del client_rows

    _sessions(rng, planned, sizes, at_slot, clinic_of_client, progress)
    sheet_made = _template_sheet(heavy_client, staff[clinic_ids[0]][0], progress)
    _sheets(rng, planned, sizes, at_slot, sheet_made, progress)
    _letters(rng, planned, sizes, progress)
    _diary(rng, planned, staff, clients_of, archived, room_ids, type_ids, at_slot, today, progress)
    _access_log(
        rng, sizes, planned, user_of, name_of_user, clinic_of_practitioner, at_slot, progress
    )
    return {"sizes": sizes, "bench": BENCH_USERNAME, "heavy_client": heavy_client}


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if k < total % parts else 0) for k in range(parts)]


def _diary_setup(clinic_ids, staff):
    rooms, types, hours = [], [], []
    room_id, type_id = next_id(Room), next_id(AppointmentType)
    room_ids, type_ids = {}, {}
    for cid in clinic_ids:
        for practitioner in staff[cid]:  # a room each: the generated diary never clashes
            rooms.append((room_id, cid, f"Room {len(rooms) + 1}"))
            room_ids[practitioner] = room_id
            room_id += 1
            hours.extend((practitioner, day, clock(8), clock(18)) for day in range(7))
        for name, minutes in (("Follow-up", 30), ("First visit", 60)):
            types.append((type_id, cid, name, minutes))
            type_ids.setdefault(cid, type_id)
            type_id += 1
    Table(Room, ["id", "clinic", "name"]).write(rooms)
    Table(AppointmentType, ["id", "clinic", "name", "minutes"]).write(types)
    Table(WorkingHours, ["practitioner", "weekday", "starts", "ends"]).write(hours)
    return room_ids, type_ids


def _search_words(client_rows, progress):
    """The search words of each client, where the clinic app keeps such a table."""
    try:
        Word = apps.get_model("clinic", "ClientSearchWord")
    except LookupError:
        return
    from clinic.search import words_of  # noqa: PLC0415 (only with the table)

    fields = {f.name for f in Word._meta.concrete_fields}
    names = ["client", "word"] + (["clinic"] if "clinic" in fields else [])
    rows = (
        (row[0], word, row[1])[: len(names)]
        for row in client_rows
        for word in words_of(first_name=row[2], last_name=row[3], email=row[6], phone=row[5])
    )
    progress("client search words", Table(Word, names).write_all(rows))


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


def _sessions(rng, planned, sizes, at_slot, clinic_of_client, progress):
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


def _template_sheet(client_id, practitioner_id, progress):
    """One sheet made and issued through the app's own services, from the latest signed
    session of the client with 508 sessions: its PDF is the one every issued sheet stores."""
    practitioner = Practitioner.objects.get(pk=practitioner_id)
    session = TreatmentSession.objects.filter(client_id=client_id, signed_at__isnull=False).first()
    sheet = issue_sheet_from(session, practitioner)
    progress(f"home-care sheet issued through the app (PDF of {len(sheet.pdf):,} bytes)", 1)
    return sheet


def _sheets(rng, planned, sizes, at_slot, made, progress):
    first_session = TreatmentSession.objects.order_by("pk").values_list("pk", flat=True).first()
    pdf, digest = bytes(made.pdf), hashlib.sha256(bytes(made.pdf)).hexdigest()
    sheets = Table(
        HomeCareSheet,
        [
            "id",
            "client",
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


def _letters(rng, planned, sizes, progress):
    keys = list(WarningSign.objects.values_list("key", flat=True)[:20])
    if not keys:
        return
    first_session = TreatmentSession.objects.order_by("pk").values_list("pk", flat=True).first()
    chosen = rng.sample(range(len(planned)), min(sizes.letters, len(planned)))
    rows, found = [], []
    for index in chosen:
        _, practitioner, client = planned[index]
        key = rng.choice(keys)
        rows.append((first_session + index, client, practitioner, [key]))
        found.append((["sign:" + key], first_session + index))
    Table(ReferralLetter, ["session", "client", "created_by", "warning_signs"]).write(rows)
    # The sessions' check-in found the sign the letter is about.
    asked = "check_in_asked"
    table = TreatmentSession._meta.db_table
    from django.db import connection  # noqa: PLC0415

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


def _diary(rng, planned, staff, clients_of, archived, room_ids, type_ids, at_slot, today, progress):
    """Past appointments completed by a third of the sessions; from today, four weeks of
    each practitioner's diary: ten treatment plans of six weekly visits and single visits,
    about ten a day in all."""
    first_session = TreatmentSession.objects.order_by("pk").values_list("pk", flat=True).first()
    with_plan = [
        "id",
        "clinic",
        "client",
        "practitioner",
        "appointment_type",
        "room",
        "starts_at",
        "ends_at",
        "status",
        "plan",
        "plan_number",
        "session",
        "created_by",
    ]
    table = Table(Appointment, with_plan)
    appointment_id = next_id(Appointment)
    rows = []
    clinic_of = {p: cid for cid, team in staff.items() for p in team}
    for index, (slot, practitioner, client) in enumerate(planned):
        if rng.random() < 0.3:
            starts = at_slot(slot // SLOTS_A_DAY, slot % SLOTS_A_DAY)
            cid = clinic_of[practitioner]
            rows.append(
                (
                    appointment_id,
                    cid,
                    client,
                    practitioner,
                    type_ids[cid],
                    None,
                    starts,
                    starts + timedelta(minutes=30),
                    "completed",
                    None,
                    None,
                    first_session + index,
                    practitioner,
                )
            )
            appointment_id += 1
            if len(rows) >= 20_000:
                table.write(rows)
                rows = []
    table.write(rows)
    past = table.written
    plans = Table(
        TreatmentPlan,
        [
            "id",
            "clinic",
            "client",
            "practitioner",
            "goal",
            "sessions_planned",
            "interval_days",
            "review_at",
            "created_by",
        ],
    )
    plan_id, plan_rows, rows = next_id(TreatmentPlan), [], []
    for cid, team in staff.items():
        active = [c for c in clients_of[cid] if c not in archived]
        for practitioner in team:
            used = set()
            for _ in range(10):
                day, slot = rng.randrange(0, 7), rng.randrange(SLOTS_A_DAY)
                if any((day + 7 * k, slot) in used for k in range(6)):
                    continue
                client = rng.choice(active)
                plan_rows.append(
                    (
                        plan_id,
                        cid,
                        client,
                        practitioner,
                        "Less pain at work.",
                        6,
                        7,
                        [3, 6],
                        practitioner,
                    )
                )
                for k in range(6):
                    used.add((day + 7 * k, slot))
                    rows.append(
                        _visit(
                            appointment_id,
                            cid,
                            client,
                            practitioner,
                            type_ids[cid],
                            room_ids[practitioner],
                            at_slot(day + 7 * k, slot, today),
                            "booked",
                            plan_id,
                            k + 1,
                        )
                    )
                    appointment_id += 1
                plan_id += 1
            for day in range(28):
                for slot in rng.sample(range(SLOTS_A_DAY), 8):
                    if (day, slot) in used:
                        continue
                    status = "booked"
                    if day == 0 and slot < 4:
                        status = rng.choice(["arrived", "no_show"])
                    rows.append(
                        _visit(
                            appointment_id,
                            cid,
                            rng.choice(active),
                            practitioner,
                            type_ids[cid],
                            room_ids[practitioner],
                            at_slot(day, slot, today),
                            status,
                            None,
                            None,
                        )
                    )
                    appointment_id += 1
    plans.write(plan_rows)
    table.write(rows)
    reset_sequences(Appointment, TreatmentPlan)
    progress(
        f"appointments ({past:,} past, completed by their sessions; "
        f"{plans.written:,} treatment plans)",
        table.written,
    )


def _visit(pk, cid, client, practitioner, type_id, room, starts, status, plan, number):
    return (
        pk,
        cid,
        client,
        practitioner,
        type_id,
        room,
        starts,
        starts + timedelta(minutes=30),
        status,
        plan,
        number,
        None,
        practitioner,
    )


def _access_log(
    rng, sizes, planned, user_of, name_of_user, clinic_of_practitioner, at_slot, progress
):
    rows = []
    for _ in range(sizes.access_events):
        slot, practitioner, client = planned[rng.randrange(len(planned))]
        user = user_of[practitioner]
        rows.append(
            (
                at_slot(slot // SLOTS_A_DAY, slot % SLOTS_A_DAY) + timedelta(minutes=5),
                user,
                name_of_user[user],
                clinic_of_practitioner[practitioner],
                "view",
                client,
                "client",
                client,
                "10.0.0.7",
            )
        )
    rows.sort(key=lambda row: row[0])
    written = Table(
        AccessEvent,
        [
            "at",
            "user",
            "username",
            "clinic",
            "action",
            "client",
            "record_type",
            "record_id",
            "ip_address",
        ],
    ).write_all(rows)
    progress("access log entries", written)
