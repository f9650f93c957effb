"""The session pages' forms. They turn input into values and `PointRow`s; the rules are in
`rows.py` and the services, and their errors are put back next to the fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.functional import cached_property

from catalogue.fields import (
    UNKNOWN_TOOL,
    PointCodeFormField,
    RefusesNul,
    SlugChoiceField,
    SlugMultipleChoiceField,
    refuse_retired,
)
from catalogue.models import Condition, PressureTool
from clinic.form_errors import add_errors
from clinic.revisions import RevisionField

from .models import (
    MAX_POINT_SECONDS,
    HoldEnded,
    PointResponse,
    Pressure,
    Side,
    TreatmentSession,
)
from .rows import PointRow
from .services import AMENDABLE_FIELDS, SESSION_FIELDS

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def retired_label(name: str) -> str:
    return f"{name} (retired)"


class OfferedConditions(ModelChoiceIterator):
    """The condition boxes: the active conditions and those the session has, a retired one
    marked. The field understands any condition; a retired one added anew is refused when
    the conditions are written (condition_links)."""

    def __init__(self, field, session):
        super().__init__(field)
        offered = Q(is_active=True)
        if session.pk:
            offered |= Q(pk__in=session.condition_links.values("condition"))
        self.queryset = self.queryset.filter(offered)

    def choice(self, obj):
        value, label = super().choice(obj)
        return value, label if obj.is_active else retired_label(label)


class LocalDateTimeField(RefusesNul, forms.DateTimeField):
    """Python reads "10:00" followed by a NUL as 10:00: it is refused, as in any text field."""


class AnyLabelsField(RefusesNul, forms.MultipleChoiceField):
    """Ticked boxes whose values the service checks (caution labels, check-in codes): they
    depend on the rows and conditions of the same form, so no fixed list of choices."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return isinstance(value, str) and 0 < len(value) <= 300


class SessionForm(forms.ModelForm):
    started_at = LocalDateTimeField(
        label="Started",
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    conditions = SlugMultipleChoiceField(
        queryset=Condition.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Presenting conditions",
    )
    acknowledged_cautions = AnyLabelsField(
        required=False,
        label="Cautions I have reviewed and judge it right to go ahead with",
    )
    check_in_found = AnyLabelsField(required=False, label="Today the client reports")
    check_in_acknowledged = forms.BooleanField(
        required=False,
        label="I have read what to do for what the check-in found, and acted on it",
    )

    class Meta:
        model = TreatmentSession
        fields = [*SESSION_FIELDS, "conditions"]
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
        conditions = self.fields["conditions"]
        conditions.widget.choices = OfferedConditions(conditions, self.instance)
        if self.instance.pk:
            self.fields["revision"] = RevisionField(initial=self.instance.revision)
            # Not model fields of the form, so given their saved values here: an edit shows
            # what was acknowledged and found, and keeps it unless it is unticked.
            for name in ["acknowledged_cautions", "check_in_found", "check_in_acknowledged"]:
                self.fields[name].initial = getattr(self.instance, name)
        else:
            self.initial.setdefault(
                "started_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def session_values(self) -> dict:
        """The service's keyword arguments, less the client, the point rows and the
        revision."""
        return {
            **{name: self.cleaned_data[name] for name in SESSION_FIELDS},
            "conditions": self.cleaned_data["conditions"],
            "acknowledged_cautions": self.cleaned_data["acknowledged_cautions"],
            "check_in_found": self.cleaned_data["check_in_found"],
            "check_in_acknowledged": self.cleaned_data["check_in_acknowledged"],
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

    def clean_tool(self):
        """A retired tool may stay on the row that had it when the page was opened, but is
        not picked anew."""
        tool = self.cleaned_data["tool"]
        if tool is not None and tool.slug != self.opened_with("tool"):
            refuse_retired([tool])
        return tool

    def opened_with(self, name) -> str:
        """The field's value when the page was opened: its initial value, which a field with
        `show_hidden_initial` sends back with the form."""
        field = self[name]
        if self.is_bound:
            return self.data.get(field.html_initial_name) or ""
        value = field.field.prepare_value(field.initial)
        return "" if value is None else str(value)


class TreatedPointForm(RowForm):
    row_class = PointRow

    tool = SlugChoiceField(
        queryset=PressureTool.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Point's default",
        error_messages={"invalid_choice": UNKNOWN_TOOL.replace("{slug}", "%(value)s")},
        show_hidden_initial=True,  # so a retired tool the row had can stay (clean_tool)
    )
    pressure = forms.ChoiceField(choices=Pressure.choices, initial=Pressure.MODERATE)
    response = forms.ChoiceField(choices=[("", "—"), *PointResponse.choices], required=False)
    # Written by the row's hold timer (static/js/hold_timer.js), shown in words beside it.
    held_seconds = forms.IntegerField(
        label="Seconds held", required=False, widget=forms.HiddenInput
    )
    hold_ended = forms.ChoiceField(
        label="Hold ended",
        choices=[("", ""), *HoldEnded.choices],
        required=False,
        widget=forms.HiddenInput,
    )

    field_order = [
        "point",
        "side",
        "tool",
        "duration_seconds",
        "pressure",
        "response",
        "held_seconds",
        "hold_ended",
    ]


class BaseRowFormSet(forms.BaseFormSet):
    """Point rows. The tool menu is read once for all rows, not once per row: the active
    tools, and on a row that has a retired one, that one too (read only then)."""

    @cached_property
    def tool_choices(self):
        field = self.form.base_fields["tool"]
        return [("", field.empty_label), *((t.slug, t.name) for t in field.queryset.active())]

    @cached_property
    def retired_tools(self) -> dict[str, str]:
        return {t.slug: retired_label(t.name) for t in PressureTool.objects.filter(is_active=False)}

    def _construct_form(self, i, **kwargs):
        return self._with_tool_choices(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self):
        return self._with_tool_choices(super().empty_form)

    def _with_tool_choices(self, form):
        choices, kept = self.tool_choices, form.opened_with("tool")
        if kept and kept not in dict(choices) and kept in self.retired_tools:
            choices = [*choices, (kept, self.retired_tools[kept])]
        form.fields["tool"].choices = choices
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
        self.fields["revision"] = RevisionField(initial=self.instance.revision)
        # Signing required these; an amendment may correct them but not clear them.
        self.fields["pain_after"].required = True
        self.fields["outcome"].required = True

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in AMENDABLE_FIELDS}
