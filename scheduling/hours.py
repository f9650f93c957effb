"""Working hours and time off: a booking outside them is allowed, once confirmed. Hours are
wall-clock times in the clinic's zone, so 09:00 stays 09:00 across a daylight-saving change."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

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


@dataclass(frozen=True)
class Stretch:
    weekday: int
    starts: time
    ends: time

    def __str__(self):
        return f"{Weekday(self.weekday).label} {self.starts:%H:%M}–{self.ends:%H:%M}"


def may_edit(*, owner: Practitioner, actor: Practitioner) -> bool:
    """A practitioner sets their own hours and time off; a manager anyone's in the clinic."""
    if actor.clinic_id != owner.clinic_id:
        return False
    return actor.pk == owner.pk or actor.is_manager


def refusal(owner: Practitioner) -> str:
    return f"Only {owner} or a clinic manager can change {owner}'s working hours."


def refuse_unless_may_edit(*, owner: Practitioner, actor: Practitioner) -> None:
    if not may_edit(owner=owner, actor=actor):
        raise PermissionDenied(refusal(owner))


def week_problems(stretches: Sequence[Stretch]) -> list[str]:
    problems = []
    for stretch in stretches:
        if stretch.weekday not in Weekday.values:
            problems.append(f"{stretch.weekday} is not a day of the week.")
        elif stretch.ends <= stretch.starts:
            problems.append(f"{Weekday(stretch.weekday).label}: the end must be after the start.")
    by_day = sorted(
        (s for s in stretches if s.weekday in Weekday.values and s.ends > s.starts),
        key=lambda s: (s.weekday, s.starts),
    )
    for before, after in zip(by_day, by_day[1:], strict=False):
        if before.weekday == after.weekday and after.starts < before.ends:
            problems.append(f"{before} and {after} overlap.")
    return problems


@transaction.atomic
def set_week(
    *, practitioner: Practitioner, stretches: Sequence[Stretch], changed_by: Practitioner
) -> list[WorkingHours]:
    """The practitioner's week, as these stretches: the others are removed (their history
    is kept). No stretches at all means hours are not kept for them: nothing is checked."""
    refuse_unless_may_edit(owner=practitioner, actor=changed_by)
    problems = week_problems(stretches)
    if problems:
        raise ValidationError({"hours": problems})
    Practitioner.objects.select_for_update().filter(pk=practitioner.pk).first()
    wanted = {(s.weekday, s.starts, s.ends) for s in stretches}
    kept = []
    for saved in WorkingHours.objects.filter(practitioner=practitioner):
        key = (saved.weekday, saved.starts, saved.ends)
        if key in wanted:
            wanted.discard(key)
            kept.append(saved)
        else:
            saved.delete()
    for weekday, starts, ends in sorted(wanted):
        kept.append(
            WorkingHours.objects.create(
                practitioner=practitioner, weekday=weekday, starts=starts, ends=ends
            )
        )
    return sorted(kept, key=lambda s: (s.weekday, s.starts))


@transaction.atomic
def add_time_off(
    *,
    practitioner: Practitioner,
    starts_at: datetime,
    ends_at: datetime,
    reason: str = "",
    added_by: Practitioner,
) -> TimeOff:
    refuse_unless_may_edit(owner=practitioner, actor=added_by)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The end must be after the start."})
    return TimeOff.objects.create(
        practitioner=practitioner, starts_at=starts_at, ends_at=ends_at, reason=reason.strip()
    )


@transaction.atomic
def remove_time_off(*, time_off: TimeOff, removed_by: Practitioner) -> None:
    """Time off is the diary's, not a clinical record: removed, with its history kept."""
    refuse_unless_may_edit(owner=time_off.practitioner, actor=removed_by)
    time_off.delete()


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
