from django import forms

from catalogue.fields import RefusesNul

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


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


class TimeOfDayField(RefusesNul, forms.TimeField):
    pass
