"""The session pages' forms. They turn input into values and `PointRow`s; the rules are in
`rows.py` and the services, and their errors are put back next to the fields."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.fields import InvalidJSONInput
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.functional import cached_property

from catalogue.fields import (
    UNKNOWN_POINT,
    UNKNOWN_TOOL,
    PointCodeFormField,
    RefusesNul,
    SlugChoiceField,
    SlugMultipleChoiceField,
    refuse_nul,
    refuse_retired,
)
from catalogue.models import Condition, Point, PressureTool
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
from .pain_marks import pain_marks_from
from .rows import ROW_FIELDS, PointRow
from .services import AMENDABLE_FIELDS, SESSION_FIELDS

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def retired_label(name: str) -> str:
    return f"{name} (retired)"


def point_label(point: Point) -> str:
    """The line under a row's code, as the rows' script writes it: "LI4 Hegu · Union Valley"."""
    label = f"{point.code} {point.pinyin}"
    if point.english_name:
        label += f" · {point.english_name}"
    return label if point.is_active else retired_label(label)


class RowPointField(PointCodeFormField):
    """A row's point, looked up among the points its formset read once for all its rows
    (`known`, by code), so that a page of rows reads them in one query."""

    known: dict[str, Point] | None = None

    def to_python(self, value):
        if self.known is None:
            return super().to_python(value)
        code = super(PointCodeFormField, self).to_python(value)  # NUL refused
        if not code:
            return None
        point = self.known.get(code.strip().upper())
        if point is None or not point.is_active:
            raise forms.ValidationError(UNKNOWN_POINT.format(code=code.strip()))
        return point


class RowToolField(SlugChoiceField):
    """A row's tool, looked up among all tools read once by the formset (`known`, by slug)."""

    known: dict[str, PressureTool] | None = None

    def to_python(self, value):
        if self.known is None or value in self.empty_values or isinstance(value, PressureTool):
            return super().to_python(value)
        refuse_nul(value)
        tool = self.known.get(str(value))
        if tool is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return tool


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


def strings_in(value):
    """Every string in parsed JSON, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


class PainMarksField(forms.JSONField):
    """The marks as JSON in a hidden field. Shown back escaped to ASCII, so what was typed
    is kept but a control character never reaches the page as such; a NUL inside the JSON
    is refused as in any other field (and as the API's parser refuses it)."""

    widget = forms.HiddenInput

    def to_python(self, value):
        parsed = super().to_python(value)
        refuse_nul(list(strings_in(parsed)))
        return parsed

    def prepare_value(self, value):
        if isinstance(value, InvalidJSONInput):
            return value
        return json.dumps(value, cls=self.encoder)


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
    # Written by the body figure's script (static/js/body_figure.js); checked by the rule book.
    pain_marks = PainMarksField(required=False, label="Pain marks")

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
            for name in [
                "acknowledged_cautions",
                "check_in_found",
                "check_in_acknowledged",
                "pain_marks",
            ]:
                self.fields[name].initial = getattr(self.instance, name)
        else:
            self.initial.setdefault(
                "started_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_pain_marks(self):
        try:
            return pain_marks_from(self.cleaned_data["pain_marks"])
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def session_values(self) -> dict:
        """The service's keyword arguments, less the client, the point rows and the
        revision."""
        return {
            **{name: self.cleaned_data[name] for name in SESSION_FIELDS},
            "conditions": self.cleaned_data["conditions"],
            "acknowledged_cautions": self.cleaned_data["acknowledged_cautions"],
            "check_in_found": self.cleaned_data["check_in_found"],
            "check_in_acknowledged": self.cleaned_data["check_in_acknowledged"],
            "pain_marks": self.cleaned_data["pain_marks"],
        }


class RowForm(forms.Form):
    """What the session's point rows and the sheet's item rows share: a point picked by
    code, a side and a duration, with Bootstrap widgets. The point box is a combobox whose
    list of suggestions the rows' script fills (static/js/point_rows.js).
    `row_class` turns the values into a checked row."""

    row_class: type
    row = None  # set by clean(); stays None for a blank row

    point = RowPointField(
        widget=forms.TextInput(
            attrs={
                "class": "point-code",
                "autocomplete": "off",
                "placeholder": "Code, pinyin or name",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
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
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()
        point = self.fields["point"].widget.attrs
        point_id = self.auto_id % self.add_prefix("point")
        point["aria-controls"] = f"{point_id}-listbox"
        point["aria-describedby"] = f"{point_id}-name"

    @property
    def point_name(self) -> str:
        """The name under the code: for the code as it stands (kept after a refused save)."""
        code = self["point"].value()
        point = (self.fields["point"].known or {}).get(str(code or "").strip().upper())
        return point_label(point) if point else ""

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

    tool = RowToolField(
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

    field_order = ROW_FIELDS


class BaseRowFormSet(forms.BaseFormSet):
    """Point rows. The tools and the rows' points are read once for all rows, not once per
    row: the tool menu offers the active tools, and on a row that has a retired one, that
    one too; the points are those of the codes posted (or given as initial values)."""

    @cached_property
    def known_tools(self) -> dict[str, PressureTool]:
        return {tool.slug: tool for tool in PressureTool.objects.all()}

    @cached_property
    def tool_choices(self):
        field = self.form.base_fields["tool"]
        active = (t for t in self.known_tools.values() if t.is_active)
        return [("", field.empty_label), *((t.slug, t.name) for t in active)]

    @cached_property
    def retired_tools(self) -> dict[str, str]:
        return {t.slug: retired_label(t.name) for t in self.known_tools.values() if not t.is_active}

    @cached_property
    def known_points(self) -> dict[str, Point]:
        """The rows' points by code, retired ones included (a draft may have one: its name
        shows, and the row is refused on save), in one query for every row."""
        if self.is_bound:
            values = [
                self.data.get(self.add_prefix(i) + "-point") for i in range(self.total_form_count())
            ]
        else:
            values = [row.get("point") for row in self.initial or []]
        known = {value.code: value for value in values if isinstance(value, Point)}
        codes = {
            value.strip().upper()
            for value in values
            if isinstance(value, str) and value.strip() and "\x00" not in value
        } - set(known)
        if codes:
            points = Point.objects.select_related("default_tool").filter(code__in=codes)
            known.update((point.code, point) for point in points)
        return known

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name in ("DELETE", "ORDER"):  # kept out of sight and out of the tab order
            if name in form.fields:
                form.fields[name].widget.attrs["tabindex"] = "-1"

    def _construct_form(self, i, **kwargs):
        form = self._with_tool_choices(super()._construct_form(i, **kwargs))
        form.fields["point"].known = self.known_points
        form.fields["tool"].known = self.known_tools
        return form

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
