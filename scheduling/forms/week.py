"""The working-hours page's forms: a week of up to two stretches a day (a morning and an
afternoon), and a stretch of time off. The rules are hours.py's."""

from django import forms

from ..hours import Stretch
from ..models import TimeOff, Weekday
from .fields import LocalDateTimeField, TimeOfDayField

STRETCHES_A_DAY = 2


def time_input():
    return forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M")


def field_name(weekday: int, n: int, end: str) -> str:
    return f"{Weekday(weekday).name.lower()}_{n}_{end}"


class WeekForm(forms.Form):
    def __init__(self, *args, saved=(), **kwargs):
        super().__init__(*args, **kwargs)
        by_day: dict[int, list] = {}
        for stretch in saved:
            by_day.setdefault(stretch.weekday, []).append(stretch)
        self.days = []
        for weekday in Weekday:
            names = []
            for n in range(STRETCHES_A_DAY):
                shown = by_day.get(weekday, [])[n : n + 1]
                for end in ("starts", "ends"):
                    name = field_name(weekday, n, end)
                    self.fields[name] = TimeOfDayField(
                        required=False,
                        label=f"{weekday.label}, {'from' if end == 'starts' else 'to'}",
                        widget=time_input(),
                        initial=getattr(shown[0], end) if shown else None,
                    )
                    names.append(name)
            self.days.append((weekday.label, [self[name] for name in names]))

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = "form-control is-invalid"
                attrs["aria-describedby"] = f"id_{name}-error"

    def clean(self):
        cleaned = super().clean()
        self.stretches = []
        for weekday in Weekday:
            for n in range(STRETCHES_A_DAY):
                starts_name, ends_name = (field_name(weekday, n, end) for end in ("starts", "ends"))
                if starts_name in self.errors or ends_name in self.errors:
                    continue
                starts, ends = cleaned.get(starts_name), cleaned.get(ends_name)
                if starts is None and ends is None:
                    continue
                if starts is None or ends is None:
                    missing = starts_name if starts is None else ends_name
                    self.add_error(missing, "Give both the start and the end, or neither.")
                elif ends <= starts:
                    self.add_error(ends_name, "The end must be after the start.")
                else:
                    self.stretches.append(Stretch(weekday, starts, ends))
        return cleaned


class TimeOffForm(forms.ModelForm):
    starts_at = LocalDateTimeField(
        label="Away from",
    )
    ends_at = LocalDateTimeField(
        label="Back at",
    )

    class Meta:
        model = TimeOff
        fields = ["starts_at", "ends_at", "reason"]
        labels = {"reason": "Reason (shown to colleagues when they book)"}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end must be after the start.")
        return cleaned
