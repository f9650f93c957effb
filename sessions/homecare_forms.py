from django import forms

from catalogue.models import PressureTool

from . import homecare
from .forms import BasePointFormSet, PointRowForm
from .models import HomeCareSheet


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


class HomeCareItemForm(PointRowForm):
    tool = forms.ModelChoiceField(
        queryset=PressureTool.objects.filter(self_applicable=True),
        to_field_name="slug",
        required=False,
        empty_label="Point's default",
        error_messages={"invalid_choice": "Choose a tool the client can use on themselves."},
    )
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

    field_order = ["point", "side", "tool", "duration_seconds", "times_per_day", "instructions"]

    def clean_point(self):
        point = self.cleaned_data["point"]
        if not point.self_care:
            raise forms.ValidationError(homecare.not_for_self_care(point))
        return point


class BaseItemFormSet(BasePointFormSet):
    def rows(self):
        return [
            {k: v for k, v in form.cleaned_data.items() if k not in ("DELETE", "ORDER")}
            for form in self.ordered_forms
        ]

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
