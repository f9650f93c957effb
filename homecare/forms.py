"""The sheet pages' forms. They turn input into values and `ItemRow`s; the rules are in
`rows.py` and the services, and their errors are put back next to the fields."""

from django import forms
from django.utils.functional import cached_property

from catalogue.fields import UNKNOWN_TOOL
from catalogue.models import PressureTool
from clinic.revisions import RevisionField
from sessions.forms import BaseRowFormSet, RowForm, RowToolField

from .models import HomeCareSheet
from .rows import ItemRow

SHEET_FIELDS = ["general_advice", "large_print", "paper"]


class HomeCareSheetForm(forms.ModelForm):
    caution_acknowledged = forms.BooleanField(
        required=False,
        label=(
            "I have reviewed the cautions for this client and judge these points safe for home use"
        ),
    )

    class Meta:
        model = HomeCareSheet
        fields = [*SHEET_FIELDS, "caution_acknowledged"]
        widgets = {"general_advice": forms.Textarea(attrs={"rows": 3})}
        labels = {"general_advice": "General advice", "large_print": "Large print"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"] = RevisionField(initial=self.instance.revision)

    def sheet_values(self) -> dict:
        """The service's keyword arguments, less the client and the items."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class HomeCareItemForm(RowForm):
    row_class = ItemRow

    tool = RowToolField(
        # Any tool is understood; the menu offers only active ones a client can use (see
        # the formset), and the rule book says why another is refused.
        queryset=PressureTool.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Point's default",
        error_messages={"invalid_choice": UNKNOWN_TOOL.replace("{slug}", "%(value)s")},
        show_hidden_initial=True,  # so a retired tool the row had can stay (clean_tool)
    )
    times_per_day = forms.IntegerField(
        label="Times a day", initial=2, widget=forms.NumberInput(attrs={"min": 1, "max": 10})
    )
    instructions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Leave empty to use the catalogue's self-care text.",
    )

    field_order = ["point", "side", "tool", "duration_seconds", "times_per_day", "instructions"]


class BaseItemFormSet(BaseRowFormSet):
    @cached_property
    def tool_choices(self):
        tools = (t for t in self.known_tools.values() if t.is_active and t.self_applicable)
        return [("", "Point's default"), *((tool.slug, tool.name) for tool in tools)]

    def rows(self) -> list[ItemRow]:
        return [form.row for form in self.ordered_forms if form.row is not None]

    def live_forms(self):
        if self.is_bound and self.is_valid():
            return self.ordered_forms
        return super().live_forms()


ItemFormSet = forms.formset_factory(
    HomeCareItemForm,
    formset=BaseItemFormSet,
    extra=0,
    can_delete=True,
    can_order=True,
    max_num=30,
    validate_max=True,
)
