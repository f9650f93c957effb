from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth.forms import UsernameField
from django.utils import timezone

from catalogue.health_flags import HealthFlag

from .access import colleagues_for
from .models import Client, Clinic, Practitioner
from .revisions import RevisionField


class ClientForm(forms.ModelForm):
    health_flags = forms.MultipleChoiceField(
        choices=HealthFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Health flags for pressing points",
    )
    consent = forms.BooleanField(
        required=False,
        label="The client has consented to acupressure treatment",
        help_text="Recorded with today's date and your name.",
    )

    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "phone",
            "email",
            "address",
            "emergency_contact",
            "primary_practitioner",
            "health_history",
            "health_flags",
            "health_flags_other",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.Textarea(attrs={"rows": 2}),
            "health_history": forms.Textarea(attrs={"rows": 4}),
            "health_flags_other": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner
        editing = self.instance.pk is not None
        if editing:
            self.fields["revision"] = RevisionField(initial=self.instance.revision)
        self.fields["primary_practitioner"].queryset = colleagues_for(practitioner)
        if not self.instance.pk:
            self.fields["primary_practitioner"].initial = practitioner.pk
        self.fields["consent"].initial = self.instance.has_consent
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Client",
                "first_name",
                "last_name",
                "preferred_name",
                "date_of_birth",
                "primary_practitioner",
            ),
            Fieldset("Contact", "phone", "email", "address", "emergency_contact"),
            Fieldset("Health", "health_history", "health_flags", "health_flags_other", "consent"),
            *(["revision"] if editing else []),
            Submit("save", "Save client"),
        )

    def clean_health_flags(self):
        return sorted(set(self.cleaned_data["health_flags"]))

    def save(self, commit=True):
        client = super().save(commit=False)
        client.clinic = self.practitioner.clinic
        given = self.cleaned_data["consent"]
        if given and not client.has_consent:
            client.consent_given_at = timezone.now()
            client.consent_recorded_by = self.practitioner
        elif not given:
            client.consent_given_at = None
            client.consent_recorded_by = None
        if commit:
            client.save()
        return client


# --- the team pages (clinic/team.py has their rules) ------------------------------------


class NewPractitionerForm(forms.ModelForm):
    username = UsernameField(max_length=150, help_text="What they log in with.")
    email = forms.EmailField(help_text="A link to set their own password is mailed here.")

    class Meta:
        model = Practitioner
        fields = [
            "display_name",
            "username",
            "email",
            "role",
            "qualification",
            "registration_number",
        ]
        labels = {"display_name": "Name"}
        help_texts = {"display_name": "As clients and colleagues see it."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Add and mail the link"))


class TeamMemberForm(forms.ModelForm):
    """A practitioner's role, and whether they are active."""

    class Meta:
        model = Practitioner
        fields = ["role", "is_active"]
        help_texts = {"is_active": "Untick to shut them out of the clinic's records."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"] = RevisionField(initial=self.instance.revision)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))


class SecondFactorSettingForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ["requires_second_factor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"] = RevisionField(initial=self.instance.revision)
