"""Working hours and time off: a booking outside them is allowed, once confirmed. Hours are
wall-clock times in the clinic's zone, so 09:00 stays 09:00 across a daylight-saving change."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import Practitioner

from .models import TimeOff, Weekday, WorkingHours


def _hours_text(stretches) -> str:
    return ", ".join(f"{s.starts:%H:%M}–{s.ends:%H:%M}" for s in stretches)


def outside_hours(practitioner: Practitioner, starts_at: datetime, ends_at: datetime) -> list[str]:
    """Why the slot is outside the practitioner's week, if it is: none when they have no
    working hours set (the clinic does not keep them)."""
    reasons = []
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    week = list(WorkingHours.objects.filter(practitioner=practitioner))
    if week:
        day = [s for s in week if s.weekday == start.weekday()]
        fits = start.date() == end.date() and any(
            s.starts <= start.time() and end.time() <= s.ends for s in day
        )
        if not fits:
            name = Weekday(start.weekday()).label
            when = f"{name}s {_hours_text(day)}" if day else f"not on {name}s"
            reasons.append(f"This is outside {practitioner}'s working hours ({when}).")
    away = TimeOff.objects.filter(
        practitioner=practitioner, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).first()
    if away is not None:
        why = f": {away.reason}" if away.reason else ""
        reasons.append(
            f"{practitioner} is away {timezone.localtime(away.starts_at):%d %b %H:%M}–"
            f"{timezone.localtime(away.ends_at):%d %b %H:%M}{why}."
        )
    return reasons


def check_stretch(*, practitioner: Practitioner, weekday: int, starts, ends, ignore=None) -> None:
    """The rule of a stretch of working hours: it ends after it starts and overlaps none of
    the practitioner's other stretches that day (ValidationError by field)."""
    if ends <= starts:
        raise ValidationError({"ends": "The end must be after the start."})
    others = WorkingHours.objects.filter(
        practitioner=practitioner, weekday=weekday, starts__lt=ends, ends__gt=starts
    )
    if ignore is not None and ignore.pk:
        others = others.exclude(pk=ignore.pk)
    other = others.first()
    if other is not None:
        raise ValidationError(
            {"starts": f"This overlaps {practitioner}'s hours {other} already set."}
        )


@transaction.atomic
def save_stretch(stretch: WorkingHours) -> WorkingHours:
    """Save a stretch (new or changed) under the rule, checked with its practitioner's row
    locked, so two stretches added at once cannot overlap."""
    Practitioner.objects.select_for_update().filter(pk=stretch.practitioner_id).first()
    check_stretch(
        practitioner=stretch.practitioner,
        weekday=stretch.weekday,
        starts=stretch.starts,
        ends=stretch.ends,
        ignore=stretch,
    )
    stretch.save()
    return stretch


def refuse_unless_may_edit(*, owner: Practitioner, actor: Practitioner) -> None:
    """A practitioner sets their own hours; a clinic manager anyone's in the clinic."""
    if actor.clinic_id != owner.clinic_id or (actor != owner and not actor.is_manager):
        raise PermissionDenied(
            f"Only {owner} or a clinic manager can change {owner}'s working hours."
        )
