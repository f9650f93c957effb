"""The session pages' forms. They turn input into values and `PointRow`s; the rules are in
`rows.py` and the services, and their errors are put back next to the fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property

from catalogue.fields import UNKNOWN_TOOL, PointCodeFormField
from catalogue.models import Condition, PressureTool
from clinic.form_errors import add_errors

from .models import MAX_POINT_SECONDS, PointResponse, Pressure, Side, TreatmentSession
from .rows import PointRow
from .services import AMENDABLE_FIELDS, SESSION_FIELDS

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


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
        fields = [*SESSION_FIELDS, "conditions", "caution_acknowledged"]
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

    def session_values(self) -> dict:
        """The service's keyword arguments, less the client and the point rows."""
        return {
            **{name: self.cleaned_data[name] for name in SESSION_FIELDS},
            "conditions": self.cleaned_data["conditions"],
            "caution_acknowledged": self.cleaned_data["caution_acknowledged"],
        }


class RowForm(forms.Form):
    """What the session's point rows and the sheet's item rows share: a point picked by
    code, a side and a duration, with Bootstrap widgets labelled for screen readers (the
    table header is the visible label). `row_class` turns the values into a checked row."""

    row_class: type
    row = None  # set by clean(); stays None for a blank row

    point = PointCodeFormField(
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
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_POINT_SECONDS}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()
            field.widget.attrs["aria-label"] = field.label or name.replace("_", " ").capitalize()

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("DELETE"):
            return cleaned
        values = {name: cleaned[name] for name in self.row_fields()}
        try:
            self.row = self.row_class(**values)
        except ValidationError as error:
            add_errors(self, error)
        return cleaned

    def row_fields(self):
        return [name for name in self.fields if name not in ("DELETE", "ORDER")]


class TreatedPointForm(RowForm):
    row_class = PointRow

    tool = forms.ModelChoiceField(
        queryset=PressureTool.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Point's default",
        error_messages={"invalid_choice": UNKNOWN_TOOL.replace("{slug}", "%(value)s")},
    )
    pressure = forms.ChoiceField(choices=Pressure.choices, initial=Pressure.MODERATE)
    response = forms.ChoiceField(choices=[("", "—"), *PointResponse.choices], required=False)

    field_order = ["point", "side", "tool", "duration_seconds", "pressure", "response"]


class BaseRowFormSet(forms.BaseFormSet):
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

    def rows(self) -> list:
        """The checked rows, in order (call after is_valid)."""
        return [form.row for form in self.live_forms() if form.row is not None]

    def live_forms(self):
        if not self.is_bound:
            return self.forms
        return [form for form in self.forms if not self._should_delete_form(form)]


PointFormSet = forms.formset_factory(
    TreatedPointForm,
    formset=BaseRowFormSet,
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

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in AMENDABLE_FIELDS}
