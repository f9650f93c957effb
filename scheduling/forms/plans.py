import re

from django import forms

from clinic.access import colleagues_for

from ..models import AppointmentType, Room, TreatmentPlan
from .fields import LocalDateTimeField

NO_TYPES = (
    "Your clinic offers no appointment types yet (such as a follow-up of 45 minutes): ask "
    "your clinic's manager to add them."
)


class PlanForm(forms.ModelForm):
    """A treatment plan and its first appointment: plans.start_plan books the series."""

    review_at = forms.CharField(
        label="Review at sessions",
        required=False,
        max_length=200,
        help_text="Session numbers, separated by commas: “4, 8”.",
    )
    first_starts_at = LocalDateTimeField(
        label="First appointment",
        help_text="The others follow at the same time of day, every interval.",
    )
    practitioner = forms.ModelChoiceField(queryset=None)
    appointment_type = forms.ModelChoiceField(queryset=None, label="Type of appointment")
    room = forms.ModelChoiceField(queryset=None, required=False)
    confirm_outside_hours = forms.BooleanField(
        required=False,
        label="Book it anyway, outside working hours",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = TreatmentPlan
        fields = ["goal", "sessions_planned", "interval_days"]
        labels = {"sessions_planned": "Number of sessions", "interval_days": "Every (days)"}
        widgets = {"goal": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        clinic_id = practitioner.clinic_id
        self.fields["practitioner"].queryset = colleagues_for(practitioner)
        self.fields["practitioner"].initial = practitioner.pk
        self.fields["appointment_type"].queryset = AppointmentType.objects.for_clinic(
            clinic_id
        ).filter(is_active=True)
        if not self.fields["appointment_type"].queryset.exists():
            self.fields["appointment_type"].help_text = NO_TYPES
        rooms = Room.objects.for_clinic(clinic_id).filter(is_active=True)
        if rooms.exists():
            self.fields["room"].queryset = rooms
        else:  # a clinic without rooms books none
            del self.fields["room"]
        self.fields["sessions_planned"].initial = 6
        self.fields["interval_days"].initial = 7

    def ask_to_confirm(self):
        """Show the box for booking outside working hours (after NeedsConfirmation)."""
        self.fields["confirm_outside_hours"].widget = forms.CheckboxInput()

    def clean_review_at(self):
        text = self.cleaned_data["review_at"]
        if not re.fullmatch(r"[\d,\s]*", text):
            raise forms.ValidationError("Give the review points as session numbers: “4, 8”.")
        return [int(n) for n in re.findall(r"\d+", text)]

    def plan_values(self) -> dict:
        data = self.cleaned_data
        return {
            "goal": data["goal"],
            "sessions_planned": data["sessions_planned"],
            "interval_days": data["interval_days"],
            "review_at": data["review_at"],
            "first_starts_at": data["first_starts_at"],
            "practitioner": data["practitioner"],
            "appointment_type": data["appointment_type"],
            "room": data.get("room"),
            "confirm_outside_hours": data["confirm_outside_hours"],
        }
