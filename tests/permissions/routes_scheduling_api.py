"""Issue 15: the permission matrix rows for the diary's api routes (routes.py adds ROWS to
MATRIX). The world's `appointment` is the owner's, booked with the world's client.

Every practitioner of the clinic reads the diary and books in it, for themselves or for a
colleague; the clinic's types and rooms are written by its managers only (refused before
any record is looked up, so the outsider's answer is 403 too); working hours by their
practitioner or a manager. Another clinic's ids are "not found": a 404 in the address, a
400 field error in a body."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from clinic.access import NOT_A_MANAGER
from scheduling import plans
from scheduling.models import Appointment, AppointmentType, Room, TreatmentPlan, WorkingHours

from . import checks as c
from .support import Row, api, call, get, post

APPOINTMENT = ("appointment.pk",)
NOT_OFFERED = api(405, outsider=405)  # refused before the record is looked up
ALL_PRACTITIONERS = ("owner", "colleague", "manager", "outsider")


def clinic(expect, manager=None):
    """`expect`, with the clinic manager answered as a colleague unless said."""
    return {**expect, "manager": expect["colleague"] if manager is None else manager}


def managers_only(ok):
    """A write of the clinic's setup: the manager's alone, every other practitioner 403."""
    return {
        **dict.fromkeys(ALL_PRACTITIONERS, 403),
        "manager": ok,
        "no_profile": 403,
        "anonymous": 401,
    }


def not_a_manager(w):
    return NOT_A_MANAGER


def at(w, hour, days=1):
    day = w.today + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def once(name, build):
    return lambda w: w.once(name, lambda: build(w))


room = once("room", lambda w: Room.objects.create(clinic=w.owner.clinic, name="Room 1"))
kind = once(
    "type",
    lambda w: AppointmentType.objects.create(clinic=w.owner.clinic, name="Follow-up", minutes=45),
)
stretch = once(
    "stretch",
    lambda w: WorkingHours.objects.create(
        practitioner=w.owner, weekday=0, starts=time(9), ends=time(13)
    ),
)
plan = once(
    "plan",
    lambda w: plans.start_plan(
        client=w.client,
        practitioner=w.owner,
        created_by=w.owner,
        goal="Sleep through the night",
        sessions_planned=2,
        interval_days=7,
        first_starts_at=at(w, 15),
        minutes=45,
    ),
)


# For test_nul_bytes.py: a record of each collection, and those only a manager writes.
RECORDS = {
    "appointments": "appointment",
    "appointment-types": kind,
    "rooms": room,
    "working-hours": stretch,
    "plans": plan,
}
MANAGERS_WRITE = {"appointment-types", "rooms"}


def pk(record):
    return lambda w: record(w).pk


def building(record):
    """A list's (empty) query, asked once `record` is built, so the list must show it."""

    def query(w):
        record(w)
        return {}

    return query


def listed(record):
    def check(w, response):
        ids = [item["id"] for item in response.json()["results"]]
        assert (record(w).pk in ids) == (w.who != "outsider"), (w.who, ids)

    return check


def booking_body(w):
    return {
        "client": w.client.pk,
        "starts_at": at(w, 14).isoformat(),
        "ends_at": at(w, 15).isoformat(),
    }


def booked_by_actor(w, response):
    made = c.made(Appointment, response)
    assert (made.client, made.created_by, made.practitioner) == (w.client, w.actor, w.actor)
    assert made.starts_at == at(w, 14)


def appointment_is(name, value):
    return c.field_is("appointment", name, value)


def put_body(w):
    return {**booking_body(w), "starts_at": at(w, 11).isoformat(), "ends_at": at(w, 12).isoformat()}


def moved(w, response):
    appointment = c.fresh(w, "appointment")
    assert (appointment.starts_at, appointment.ends_at) == (at(w, 11), at(w, 12))


def record_is(record, name, value):
    def check(w, response):
        found = record(w)
        found.refresh_from_db()
        assert getattr(found, name) == value

    return check


def made_in_clinic(model):
    def check(w, response):
        assert c.made(model, response).clinic == w.actor.clinic

    return check


def hours_for(whose):
    def check(w, response):
        made = c.made(WorkingHours, response)
        assert made.practitioner == (w.owner if whose == "owner" else w.actor)

    return check


def hours_body(practitioner=None):
    def body(w):
        if practitioner is None:
            return {"weekday": 6, "starts": "09:00", "ends": "10:00"}
        return {"practitioner": w.owner.pk, "weekday": 5, "starts": "09:00", "ends": "10:00"}

    return body


def only_owner_or_manager(w):
    return f"Only {w.owner} or a clinic manager can change {w.owner}'s working hours."


def stretch_gone(w, response):
    assert not WorkingHours.objects.filter(pk=stretch(w).pk).exists()


def plan_body(w):
    return {
        "client": w.client.pk,
        "goal": "Less pain",
        "sessions_planned": 2,
        "interval_days": 7,
        "first_starts_at": at(w, 16).isoformat(),
        "minutes": 45,
    }


def plan_started(w, response):
    made = c.made(TreatmentPlan, response)
    assert (made.client, made.created_by, made.appointments.count()) == (w.client, w.actor, 2)


def setup_rows(name, record, post_body, patch, put):
    """A type's or a room's: every practitioner reads, the manager writes, none deletes."""
    model = {"appointment-type": AppointmentType, "room": Room}[name]
    return [
        Row(
            f"api:{name}-list",
            "api",
            (
                get(
                    (), clinic(api(200, outsider=200)), body=building(record), check=listed(record)
                ),
                post(
                    (),
                    managers_only(201),
                    body=post_body,
                    check=made_in_clinic(model),
                    refusal=not_a_manager,
                ),
            ),
        ),
        Row(
            f"api:{name}-detail",
            "api",
            (
                get((pk(record),), clinic(api())),
                call(
                    "patch",
                    (pk(record),),
                    managers_only(200),
                    body=patch,
                    check=record_is(record, "is_active", False),
                    refusal=not_a_manager,
                ),
                call(
                    "put",
                    (pk(record),),
                    managers_only(200),
                    body=put,
                    check=record_is(record, "name", put["name"]),
                    refusal=not_a_manager,
                ),
                call("delete", (pk(record),), clinic(NOT_OFFERED)),
            ),
        ),
    ]


ROWS = [
    Row(
        "api:appointment-list",
        "api",
        (
            get(
                (),
                clinic(api(200, outsider=200)),
                check=c.listed("appointment"),
                needs=("appointment",),
            ),
            post(
                (),
                clinic(api(201, outsider=400)),  # another clinic cannot name the client
                body=booking_body,
                check=booked_by_actor,
            ),
        ),
    ),
    Row(
        "api:appointment-detail",
        "api",
        (
            get(APPOINTMENT, clinic(api())),
            call(
                "patch",
                APPOINTMENT,
                clinic(api()),
                body={"notes": "Patched"},
                check=appointment_is("notes", "Patched"),
            ),
            call("put", APPOINTMENT, clinic(api()), body=put_body, check=moved),
            call("delete", APPOINTMENT, clinic(NOT_OFFERED)),
        ),
    ),
    Row(
        "api:appointment-status",
        "api",
        (
            get(APPOINTMENT, clinic(NOT_OFFERED)),
            post(
                APPOINTMENT,
                clinic(api()),
                body={"status": "arrived"},
                check=appointment_is("status", "arrived"),
            ),
        ),
    ),
    *setup_rows(
        "appointment-type",
        kind,
        {"name": "Long visit", "minutes": 90},
        {"is_active": False},
        {"name": "Short visit", "minutes": 30},
    ),
    *setup_rows("room", room, {"name": "Room 2"}, {"is_active": False}, {"name": "Garden room"}),
    Row(
        "api:working-hours-list",
        "api",
        (
            get((), clinic(api(200, outsider=200)), body=building(stretch), check=listed(stretch)),
            post((), clinic(api(201, outsider=201)), body=hours_body(), check=hours_for("actor")),
            post(
                (),
                clinic(api(201, outsider=400, colleague=403), manager=201),
                body=hours_body("owner"),
                check=hours_for("owner"),
                refusal=only_owner_or_manager,
            ),
        ),
    ),
    Row(
        "api:working-hours-detail",
        "api",
        (
            get((pk(stretch),), clinic(api())),
            call(
                "patch",
                (pk(stretch),),
                clinic(api(colleague=403), manager=200),
                body={"ends": "12:30"},
                check=record_is(stretch, "ends", time(12, 30)),
                refusal=only_owner_or_manager,
            ),
            call(
                "put",
                (pk(stretch),),
                clinic(api(colleague=403), manager=200),
                body={"weekday": 1, "starts": "08:00", "ends": "12:00"},
                check=record_is(stretch, "weekday", 1),
                refusal=only_owner_or_manager,
            ),
            call(
                "delete",
                (pk(stretch),),
                clinic(api(204, colleague=403), manager=204),
                check=stretch_gone,
                refusal=only_owner_or_manager,
            ),
        ),
    ),
    Row(
        "api:plan-list",
        "api",
        (
            get((), clinic(api(200, outsider=200)), body=building(plan), check=listed(plan)),
            post((), clinic(api(201, outsider=400)), body=plan_body, check=plan_started),
        ),
    ),
    Row(
        "api:plan-detail",
        "api",
        (
            get((pk(plan),), clinic(api())),
            *[
                call(method, (pk(plan),), clinic(NOT_OFFERED), body={"goal": "Changed"})
                for method in ("put", "patch", "delete")
            ],
        ),
    ),
]
