from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth.forms import UsernameField
from django.utils import timezone

from catalogue.health_flags import SIDES, BodyRegion, HealthFlag

from .access import colleagues_for
from .models import Client, Clinic, Practitioner
from .revisions import RevisionField


class ClientForm(forms.ModelForm):
    health_flags = forms.MultipleChoiceField(
        choices=[],
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
        site_fields = self.add_flag_fields()
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
            Fieldset(
                "Health",
                "health_history",
                "health_flags",
                *site_fields,
                "health_flags_other",
                "consent",
            ),
            *(["revision"] if editing else []),
            Submit("save", "Save client"),
        )

    def add_flag_fields(self) -> list[str]:
        """The flag boxes (the active recordable flags, and any retired one the client has),
        and for each flag recorded with a site, where and which side."""
        had = set(self.instance.health_flags)
        flags = [
            flag for flag in HealthFlag.objects.recordable() if flag.is_active or flag.code in had
        ]
        self.fields["health_flags"].choices = [
            (f.code, f.label if f.is_active else f"{f.label} (retired)") for f in flags
        ]
        self.site_flags = [flag for flag in flags if flag.has_site]
        names = []
        for flag in self.site_flags:
            sites = self.instance.flag_sites.get(flag.code, [])
            sides = {site["side"] for site in sites}
            recorded = ", ".join(f"{site['region']} ({site['side']})" for site in sites)
            self.fields[f"site_{flag.code}"] = forms.MultipleChoiceField(
                choices=BodyRegion.choices,
                required=False,
                label=f"{flag.label}: where",
                help_text="Hold Ctrl (or Cmd) to pick more than one."
                + (f" Recorded: {recorded}." if len(sides) > 1 else ""),
                initial=list(dict.fromkeys(site["region"] for site in sites)),
                widget=forms.SelectMultiple(attrs={"size": 4}),
            )
            self.fields[f"side_{flag.code}"] = forms.ChoiceField(
                choices=[("", "—"), *SIDES],
                required=False,
                label=f"{flag.label}: side",
                # Sites on different sides (recorded through the API) show no one side, and
                # are kept as they are unless this flag's fields are changed.
                initial=sides.pop() if len(sides) == 1 else "",
            )
            names += [f"site_{flag.code}", f"side_{flag.code}"]
        return names

    def clean_health_flags(self):
        return sorted(set(self.cleaned_data["health_flags"]))

    def clean(self):
        cleaned = super().clean()
        flags = set(cleaned.get("health_flags") or [])
        sites = {}
        for flag in self.site_flags:
            regions = list(dict.fromkeys(cleaned.get(f"site_{flag.code}") or []))
            side = cleaned.get(f"side_{flag.code}") or ""
            if flag.code not in flags:
                continue  # an unticked flag takes its site with it
            untouched = {f"site_{flag.code}", f"side_{flag.code}"}.isdisjoint(self.changed_data)
            if untouched and self.instance.flag_sites.get(flag.code):
                sites[flag.code] = self.instance.flag_sites[flag.code]
                continue
            if not regions and not side:
                continue
            if not regions:
                self.add_error(f"site_{flag.code}", "Choose where, or clear the side.")
                continue
            sites[flag.code] = [{"region": r, "side": side or "both"} for r in regions]
        self.instance.flag_sites = sites
        return cleaned

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
