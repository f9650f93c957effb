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

from catalogue.models import HealthFlag
from clinic.models import Client, Clinic, Practitioner
from scheduling.models import (
    DiarySettings,
)

from .bulk import Table, added_to_history, has_field, next_id
from .diary import SLOTS_A_DAY, write_access_log, write_diary, write_diary_setup
from .names import FIRST_NAMES, LAST_NAMES, STREETS
from .records import issue_template_sheet, write_letters, write_sessions, write_sheets

ZONE = ZoneInfo("Europe/London")
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
    room_ids, type_ids = write_diary_setup(clinic_ids, staff)
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

    write_sessions(rng, planned, sizes, at_slot, clinic_of_client, progress)
    sheet_made = issue_template_sheet(heavy_client, staff[clinic_ids[0]][0], progress)
    write_sheets(rng, planned, sizes, at_slot, sheet_made, clinic_of_client, progress)
    write_letters(rng, planned, sizes, clinic_of_client, progress)
    write_diary(
        rng, planned, staff, clients_of, archived, room_ids, type_ids, at_slot, today, progress
    )
    write_access_log(
        rng, sizes, planned, user_of, name_of_user, clinic_of_practitioner, at_slot, progress
    )
    return {"sizes": sizes, "bench": BENCH_USERNAME, "heavy_client": heavy_client}


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if k < total % parts else 0) for k in range(parts)]


def _search_words(client_rows, progress):
    """The search words of each client, where the clinic app keeps such a table."""
    try:
        Word = apps.get_model("clinic", "ClientSearchWord")
    except LookupError:
        return
    from clinic.client_search import words_of  # noqa: PLC0415 (only with the table)

    def words(row):  # the words the app derives from the client as saved
        client = Client(first_name=row[2], last_name=row[3], email=row[6], phone=row[5])
        return sorted(words_of(client))

    rows = ((row[0], row[1], word) for row in client_rows for word in words(row))
    progress("client search words", Table(Word, ["client", "clinic", "word"]).write_all(rows))
