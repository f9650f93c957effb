"""The clinic manager's access log page: every entry of their clinic, newest first, filtered
by client, practitioner, action and date, a page at a time. Read only, like the log."""

from django import forms
from django.views.generic import ListView

from ..access import ManagerRequiredMixin, clients_for, practitioners_of
from ..access_log import AccessEvent


class AccessLogFilterForm(forms.Form):
    client = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any client")
    practitioner = forms.ModelChoiceField(queryset=None, required=False, empty_label="Anyone")
    action = forms.ChoiceField(
        choices=[("", "Any action"), *AccessEvent.Action.choices], required=False
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args, practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients_for(practitioner).order_by(
            "last_name", "first_name", "pk"
        )
        # Former practitioners too: their entries stay in the log.
        self.fields["practitioner"].queryset = practitioners_of(practitioner.clinic_id).order_by(
            "display_name", "pk"
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filter(self, events):
        """The entries the valid form asks for (dates in the clinic's time zone)."""
        data = self.cleaned_data
        if data["client"]:
            events = events.filter(client=data["client"])
        if data["practitioner"]:
            events = events.filter(user_id=data["practitioner"].user_id)
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
        return events


class AccessLogView(ManagerRequiredMixin, ListView):
    template_name = "clinic/access_log.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        self.form = AccessLogFilterForm(self.request.GET or None, practitioner=self.practitioner)
        if self.form.is_bound and not self.form.is_valid():
            return AccessEvent.objects.none()
        events = AccessEvent.objects.for_clinic(self.practitioner.clinic_id)
        if self.form.is_bound:
            events = self.form.filter(events)
        return events.select_related("user__practitioner", "client").order_by("-at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, **kwargs)
