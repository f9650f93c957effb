from django import forms
from django.utils import timezone
from django.utils.functional import cached_property

from catalogue.models import Condition, Point, PressureTool

from .models import MAX_POINT_SECONDS, Pressure, Response, Side, TreatmentSession
from .services import AMENDABLE_FIELDS

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class PointCodeField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": (
            "Unknown or retired point. Type a code such as LI4, or pick from the list."
        )
    }

    def prepare_value(self, value):
        if isinstance(value, Point):
            return value.code
        return value

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


class SessionForm(forms.ModelForm):
    started_at = forms.DateTimeField(
        label="Started",
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    conditions = forms.ModelMultipleChoiceField(
        queryset=Condition.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Presenting conditions",
    )
    caution_acknowledged = forms.BooleanField(
        required=False,
        label="I have reviewed the cautions for this client and judge it right to proceed",
    )

    class Meta:
        model = TreatmentSession
        fields = [
            "started_at",
            "conditions",
            "complaint",
            "pain_before",
            "pain_after",
            "outcome",
            "notes",
            "adverse_reaction",
            "follow_up",
            "caution_acknowledged",
        ]
        widgets = {
            "complaint": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "adverse_reaction": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "pain_before": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "pain_after": forms.NumberInput(attrs={"min": 0, "max": 10}),
        }
        labels = {"pain_before": "Pain before (0–10)", "pain_after": "Pain after (0–10)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault(
                "started_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def session_fields(self):
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in ("conditions", "caution_acknowledged")
        }


class PointRowForm(forms.Form):
    """A row of the session and home-care forms: a point picked by code, with Bootstrap
    widgets labelled for screen readers (the table header is the visible label)."""

    point = PointCodeField(
        queryset=Point.objects.active().prefetch_related("point_cautions"),
        to_field_name="code",
        widget=forms.TextInput(
            attrs={
                "class": "point-code",
                "autocomplete": "off",
                "placeholder": "Code, pinyin or name",
            }
        ),
    )
    side = forms.ChoiceField(choices=Side.choices, initial=Side.BOTH)
    duration_seconds = forms.IntegerField(
        label="Seconds",
        required=False,
        min_value=1,
        max_value=MAX_POINT_SECONDS,
        error_messages={
            "min_value": "The duration must be more than zero.",
            "max_value": "No more than 30 minutes (1800 seconds) on one point.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()
            field.widget.attrs["aria-label"] = field.label or name.replace("_", " ").capitalize()


class TreatedPointForm(PointRowForm):
    tool = forms.ModelChoiceField(
        queryset=PressureTool.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Point's default",
        error_messages={"invalid_choice": "Unknown pressure tool."},
    )
    pressure = forms.ChoiceField(choices=Pressure.choices, initial=Pressure.MODERATE)
    response = forms.ChoiceField(choices=[("", "—"), *Response.choices], required=False)

    field_order = ["point", "side", "tool", "duration_seconds", "pressure", "response"]

    def clean(self):
        cleaned = super().clean()
        point = cleaned.get("point")
        if point and not cleaned.get("tool") and point.default_tool is None:
            self.add_error("tool", f"{point.code} has no default tool: choose one.")
        return cleaned


class BasePointFormSet(forms.BaseFormSet):
    """Point rows. The tool menu is read once for all rows, not once per row."""

    @cached_property
    def tool_choices(self):
        return list(self.form.base_fields["tool"].choices)

    def _construct_form(self, i, **kwargs):
        return self._with_tool_choices(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self):
        return self._with_tool_choices(super().empty_form)

    def _with_tool_choices(self, form):
        form.fields["tool"].choices = self.tool_choices
        return form

    def rows(self):
        return [
            {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def live_forms(self):
        if not self.is_bound:
            return self.forms
        return [form for form in self.forms if not self._should_delete_form(form)]


PointFormSet = forms.formset_factory(
    TreatedPointForm,
    formset=BasePointFormSet,
    extra=0,
    can_delete=True,
    max_num=60,
    validate_max=True,
)


class AmendmentForm(forms.ModelForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Why is this being amended?"
    )

    class Meta:
        model = TreatmentSession
        fields = AMENDABLE_FIELDS
        widgets = SessionForm.Meta.widgets
        labels = SessionForm.Meta.labels

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Signing required these; an amendment may correct them but not clear them.
        self.fields["pain_after"].required = True
        self.fields["outcome"].required = True

    def changes(self):
        return {name: self.cleaned_data[name] for name in AMENDABLE_FIELDS}
