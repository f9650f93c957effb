from datetime import date

from django import forms

from catalogue.fields import RefusesNul

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"
# The years the diary takes: far enough either side for any real booking, and short of
# the calendar's ends (year 1, year 9999), where a length or a reminder's lead would run
# off it.
FIRST_YEAR, LAST_YEAR = 1900, 2999
OUT_OF_RANGE = f"Give a date between the years {FIRST_YEAR} and {LAST_YEAR}."


def in_diary_years(moment: date) -> bool:
    return FIRST_YEAR <= moment.year <= LAST_YEAR


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_MINUTE, **kwargs)


class LocalDateTimeField(RefusesNul, forms.DateTimeField):
    """A wall-clock time in the clinic's zone; a NUL in it is refused, not parsed past."""

    widget = LocalDateTimeInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [LOCAL_MINUTE, "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not in_diary_years(moment):
            raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range")
        return moment


class TimeOfDayField(RefusesNul, forms.TimeField):
    pass
