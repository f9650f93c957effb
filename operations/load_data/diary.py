"""The load data's diary (rooms, types, hours, past and coming appointments, plans) and
access log."""

from datetime import time as clock
from datetime import timedelta

from clinic.models import AccessEvent
from scheduling.models import Appointment, AppointmentType, Room, TreatmentPlan, WorkingHours
from sessions.models import TreatmentSession

from .bulk import Table, next_id, reset_sequences

SLOTS_A_DAY = 20  # half-hour slots from 08:00


def write_diary_setup(clinic_ids, staff):
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


def write_diary(
    rng, planned, staff, clients_of, archived, room_ids, type_ids, at_slot, today, progress
):
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


def write_access_log(
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
