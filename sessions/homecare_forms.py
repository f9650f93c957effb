from django import forms

from catalogue.models import PressureTool

from .forms import TreatedPointForm
from .models import HomeCareSheet, Side


class HomeCareSheetForm(forms.ModelForm):
    caution_acknowledged = forms.BooleanField(
        required=False,
        label=(
            "I have reviewed the cautions for this client and judge these points safe for home use"
        ),
    )

    class Meta:
        model = HomeCareSheet
        fields = ["general_advice", "large_print", "paper", "caution_acknowledged"]
        widgets = {"general_advice": forms.Textarea(attrs={"rows": 3})}
        labels = {"general_advice": "General advice", "large_print": "Large print"}


class HomeCareItemForm(forms.Form):
    point = TreatedPointForm.base_fields["point"]
    side = forms.ChoiceField(choices=Side.choices, initial=Side.BOTH)
    tool = forms.ModelChoiceField(
        queryset=PressureTool.objects.filter(self_applicable=True),
        to_field_name="slug",
        required=False,
        empty_label="Point's default",
        error_messages={"invalid_choice": "Choose a tool the client can use on themselves."},
    )
    duration_seconds = TreatedPointForm.base_fields["duration_seconds"]
    times_per_day = forms.IntegerField(
        label="Times a day",
        min_value=1,
        max_value=10,
        initial=2,
        error_messages={
            "max_value": "No more than 10 times a day.",
            "min_value": "At least once a day.",
        },
    )
    instructions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Leave empty to use the catalogue's self-care text.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()
            field.widget.attrs["aria-label"] = field.label or name.replace("_", " ").capitalize()


class BaseItemFormSet(forms.BaseFormSet):
    def rows(self):
        return [
            {k: v for k, v in form.cleaned_data.items() if k not in ("DELETE", "ORDER")}
            for form in self.ordered_forms
        ]

    def live_forms(self):
        if not self.is_bound:
            return self.forms
        if self.is_valid():
            return self.ordered_forms
        return [form for form in self.forms if not self._should_delete_form(form)]


ItemFormSet = forms.formset_factory(
    HomeCareItemForm,
    formset=BaseItemFormSet,
    extra=0,
    can_delete=True,
    can_order=True,
    max_num=30,
    validate_max=True,
)
