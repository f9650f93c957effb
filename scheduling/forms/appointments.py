"""The appointment pages' forms. They only turn what was typed into the rule book's
arguments (booking.py) and put its refusals back beside the fields: a clash beside the
practitioner or the room, working hours beside the start with a "Book anyway" box."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from clinic.access import clients_for, colleagues_for
from clinic.client_search import search_clients, split_words
from clinic.form_errors import add_errors
from clinic.models import Client
from clinic.revisions import BAD_REVISION, RevisionField

from .. import booking
from ..models import AppointmentType, Room
from .fields import LocalDateTimeField, LocalDateTimeInput


class AppointmentFields(forms.Form):
    """What a booking and an edit share; the clinic's own choices only."""

    practitioner = forms.ModelChoiceField(queryset=None, empty_label=None)
    appointment_type = forms.ModelChoiceField(
        queryset=None, required=False, label="Type", empty_label="(no type: give a length)"
    )
    room = forms.ModelChoiceField(queryset=None, required=False, empty_label="(no room)")
    starts_at = LocalDateTimeField(label="Starts", widget=LocalDateTimeInput())
    minutes = forms.IntegerField(
        label="Length (minutes)",
        required=False,
        min_value=5,
        max_value=8 * 60,
        help_text="Leave empty to take the type's length.",
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the diary. Never sent to the client in a reminder.",
    )
    confirm_outside_hours = forms.BooleanField(
        label="Book anyway", required=False, widget=forms.CheckboxInput()
    )

    def __init__(self, *args, practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        clinic_id = practitioner.clinic_id
        self.needs_confirmation = False
        self.fields["practitioner"].queryset = colleagues_for(practitioner)
        self.fields["appointment_type"].queryset = AppointmentType.objects.for_clinic(
            clinic_id
        ).filter(is_active=True)
        rooms = Room.objects.for_clinic(clinic_id).filter(is_active=True)
        if rooms.exists():
            self.fields["room"].queryset = rooms
        else:
            del self.fields["room"]

    def slot(self) -> dict:
        """The booking's slot and details, for booking.py."""
        data = self.cleaned_data
        starts_at = data["starts_at"]
        minutes = data.get("minutes")
        return {
            "practitioner": data["practitioner"],
            "appointment_type": data.get("appointment_type"),
            "room": data.get("room"),
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=minutes) if minutes else None,
            "notes": data.get("notes", ""),
            "confirm_outside_hours": data.get("confirm_outside_hours", False),
        }

    def refused(self, error: ValidationError) -> None:
        """The rule book's refusal, beside the fields it names."""
        if isinstance(error, booking.NeedsConfirmation):
            self.needs_confirmation = True
        if hasattr(error, "error_dict") and "ends_at" in error.error_dict:  # our "length"
            error = ValidationError(
                {"minutes" if f == "ends_at" else f: e for f, e in error.error_dict.items()}
            )
        add_errors(self, error)


CLIENTS_LISTED = 25


class BookAppointmentForm(AppointmentFields):
    client = forms.ModelChoiceField(queryset=None)

    field_order = ["client", "practitioner", "appointment_type", "room", "starts_at"]

    def __init__(self, *args, practitioner, find="", **kwargs):
        super().__init__(*args, practitioner=practitioner, **kwargs)
        clients = clients_for(practitioner).active()
        field = self.fields["client"]
        field.queryset = clients  # what is accepted: any active client of the clinic
        # What is listed: a clinic's 20,000 clients would be a menu of 20,000 options (1.5 s
        # a page), so the menu holds the client chosen, and those found by `find` or else
        # the most recently updated.
        if split_words(find):
            listed = search_clients(clients, find, clinic_id=practitioner.clinic_id)
            listed = listed.order_by("last_name", "first_name", "pk")
            # crispy's help text is not escaped: the typed words must be.
            field.help_text = format_html("Clients whose name starts with “{}”.", find.strip())
        else:
            listed = clients.order_by("-updated_at", "-pk")  # off client_recent_idx
            field.help_text = "The clients updated most recently: find others by name above."
        listed = list(listed[:CLIENTS_LISTED])
        self.clients_found = len(listed)
        chosen = self.chosen_client(clients)
        if chosen is not None and chosen not in listed:
            listed.insert(0, chosen)
        field.widget.choices = [("", field.empty_label)] + [
            (client.pk, field.label_from_instance(client)) for client in listed
        ]

    def chosen_client(self, clients):
        """The client posted or prefilled (a Client), if one of `clients` (active)."""
        chosen = self.initial.get("client") if not self.is_bound else self.data.get("client")
        if isinstance(chosen, Client):
            chosen = str(chosen.pk)  # prefilled: still one of `clients` (not archived)?
        if isinstance(chosen, str) and chosen.isascii() and chosen.isdigit() and len(chosen) < 19:
            return clients.filter(pk=int(chosen)).first()
        return None


class EditAppointmentForm(AppointmentFields):
    # Hidden: its refusal is shown at the top of the form (appointment_form.html).
    revision = RevisionField(
        error_messages=dict.fromkeys(["required", "invalid", "min_value"], BAD_REVISION)
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason for cancelling",
        max_length=200,
        help_text="Required: for example “client unwell, will call to rebook”.",
    )
