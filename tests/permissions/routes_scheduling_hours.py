"""Issue 15: the permission matrix rows for working hours and time off. Each practitioner
sets their own; a clinic manager anyone's in the clinic; a colleague not the owner's."""

from datetime import timedelta

from django.utils import timezone

from scheduling.models import TimeOff, WorkingHours

from .support import Row, get, page, post

OWNER = ("owner.pk",)
WEEK = {"monday_0_starts": "09:00", "monday_0_ends": "17:00"}


def own_and_managers(status):
    return {**page(status), "colleague": 403, "manager": status}


def refused(w):
    return f"Only {w.owner} or a clinic manager can change {w.owner}'s working hours."


def away_body(w):
    starts = timezone.localtime() + timedelta(days=3)
    return {
        "starts_at": f"{starts:%Y-%m-%dT09:00}",
        "ends_at": f"{starts:%Y-%m-%dT17:00}",
        "reason": "Course",
    }


def owners_time_off(w):
    def build():
        starts = timezone.now() + timedelta(days=3)
        return TimeOff.objects.create(
            practitioner=w.owner, starts_at=starts, ends_at=starts + timedelta(hours=8)
        )

    return w.once("time_off", build).pk


def week_saved_for(whose):
    def check(w, response):
        member = getattr(w, whose) if whose != "actor" else w.actor
        hours = WorkingHours.objects.filter(practitioner=member)
        assert [(h.weekday, f"{h.starts:%H:%M}", f"{h.ends:%H:%M}") for h in hours] == [
            (0, "09:00", "17:00")
        ]

    return check


def away_added_for(whose):
    def check(w, response):
        member = getattr(w, whose) if whose != "actor" else w.actor
        assert TimeOff.objects.get(practitioner=member).reason == "Course"

    return check


def time_off_removed(w, response):
    assert not TimeOff.objects.filter(practitioner=w.owner).exists()


ROWS = [
    Row(
        "scheduling:hours",
        "page",
        (
            get((), page(outsider=200)),
            post((), page(302, outsider=302), body=WEEK, check=week_saved_for("actor")),
        ),
    ),
    Row(
        "scheduling:hours-of",
        "page",
        (
            get(OWNER, own_and_managers(200), refusal=refused),
            post(
                OWNER,
                own_and_managers(302),
                body=WEEK,
                check=week_saved_for("owner"),
                refusal=refused,
            ),
        ),
    ),
    Row(
        "scheduling:time-off-add",
        "page",
        (
            get((), page(405, outsider=405)),
            post((), page(302, outsider=302), body=away_body, check=away_added_for("actor")),
        ),
    ),
    Row(
        "scheduling:time-off-add-for",
        "page",
        (
            post(
                OWNER,
                own_and_managers(302),
                body=away_body,
                check=away_added_for("owner"),
                refusal=refused,
            ),
        ),
    ),
    Row(
        "scheduling:time-off-remove",
        "page",
        (
            get((owners_time_off,), page(405)),
            post(
                (owners_time_off,),
                own_and_managers(302),
                check=time_off_removed,
                refusal=refused,
            ),
        ),
    ),
]
