"""Issue 15: the permission matrix rows for the diary's calendar routes (routes.py adds ROWS to
MATRIX). The world's `appointment` is the owner's, booked with the world's client.

Everyone in the clinic uses the diary, so the colleague does what the owner does. The
outsider's own clinic has a diary and a booking form of its own (200); anything of the
owner's clinic they name (an appointment, a client, a practitioner) is a 404, and their
booking of the world's client is refused on the form."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from scheduling.models import Appointment

from .support import Row, get, page, post

APPOINTMENT = ("appointment.pk",)
IN_THE_CLINIC = frozenset({"owner", "colleague"})


def tomorrow_at(w, hour):
    day = w.today + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def wall(moment):
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def week(w):
    day = w.today
    return {"start": f"{day}T00:00:00", "end": f"{day + timedelta(days=7)}T00:00:00"}


def listed(w, response):
    ids = [event["id"] for event in response.json()]
    assert (w.appointment.pk in ids) == (w.who != "outsider"), (w.who, ids)


def booking_form(w):
    return {
        "client": w.client.pk,
        "practitioner": w.owner.pk,
        "starts_at": wall(tomorrow_at(w, 12)),
        "minutes": 45,
    }


def booked(w, response):
    made = Appointment.objects.filter(starts_at=tomorrow_at(w, 12))
    if w.who == "outsider":
        assert not made.exists() and response.context["form"].errors["client"]
        return
    appointment = made.get()
    assert (appointment.client, appointment.created_by) == (w.client, w.actor)
    assert response["Location"].endswith(f"/appointments/{appointment.pk}/")


def edit_form(w):
    return {
        "practitioner": w.owner.pk,
        "starts_at": wall(tomorrow_at(w, 14)),
        "minutes": 45,
        "revision": w.appointment.revision,
    }


def moved_to_14(w, response):
    w.appointment.refresh_from_db()
    assert w.appointment.starts_at == tomorrow_at(w, 14)


def arrived(w, response):
    w.appointment.refresh_from_db()
    assert w.appointment.status == Appointment.Status.ARRIVED


def drag(w):
    return {
        "start": wall(tomorrow_at(w, 14)),
        "end": wall(tomorrow_at(w, 15)),
        "revision": w.appointment.revision,
    }


ROWS = [
    Row(
        "scheduling:calendar",
        "page",
        (
            get((), page(outsider=200)),
            get((), page(), body=lambda w: {"practitioner": w.owner.pk, "view": "day"}),
        ),
    ),
    Row(
        "scheduling:calendar-events",
        "page",
        (get((), page(outsider=200), body=week, check=listed, needs=("appointment",)),),
    ),
    Row(
        "scheduling:appointment-create",
        "page",
        (
            get((), page(outsider=200)),
            get((), page(), body=lambda w: {"client": w.client.pk}),
            post(
                (), page(302, outsider=200), body=booking_form, check=booked, effect=IN_THE_CLINIC
            ),
        ),
    ),
    Row("scheduling:appointment-detail", "page", (get(APPOINTMENT, page()),)),
    Row(
        "scheduling:appointment-edit",
        "page",
        (
            get(APPOINTMENT, page()),
            post(APPOINTMENT, page(302), body=edit_form, check=moved_to_14),
        ),
    ),
    Row(
        "scheduling:appointment-status",
        "page",
        (
            get(APPOINTMENT, page(405)),
            post(
                APPOINTMENT,
                page(302),
                body=lambda w: {"status": "arrived", "revision": w.appointment.revision},
                check=arrived,
            ),
        ),
    ),
    Row(
        "scheduling:appointment-move",
        "page",
        (
            get(APPOINTMENT, page(405)),
            post(APPOINTMENT, page(200), body=drag, check=moved_to_14),
        ),
    ),
]
