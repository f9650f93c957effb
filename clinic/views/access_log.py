"""The clinic manager's access log page: every entry of their clinic, newest first, filtered
by client, practitioner, action and date, a page at a time. Read only, like the log.

The log grows by every page anyone opens, so the page reads only what it shows: the
entries through the (clinic, -at) or (client, -at) index, dates as a range of `at` (not
its date, which no index holds), and pages without a total (counting a clinic's million
entries would cost more than the page)."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.views.generic import TemplateView

from ..access import ManagerRequiredMixin, clients_for, practitioners_of
from ..access_log import AccessEvent


class AccessLogFilterForm(forms.Form):
    # A number, not a menu: a clinic's 20,000 clients would make the page a megabyte of
    # options. Each entry's client links to the log filtered on them.
    client = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Client number",
        widget=forms.NumberInput({"min": 1, "placeholder": "Any client"}),
        help_text="Or pick a client in the list below.",
    )
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
        self.fields["client"].queryset = clients_for(practitioner)
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
        # Days at the calendar's ends (year 1, year 9999) are no bound: their midnights, or
        # the day after, fall off the calendar once moved to UTC.
        if data["date_from"] and data["date_from"] > FIRST_DAY:
            events = events.filter(at__gte=day_starts(data["date_from"]))
        if data["date_to"] and data["date_to"] < LAST_DAY:
            events = events.filter(at__lt=day_starts(data["date_to"] + timedelta(days=1)))
        return events


FIRST_DAY, LAST_DAY = date(1, 1, 2), date(9999, 12, 30)


def day_starts(day):
    """The day's first moment in the current (the clinic's) zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def page_number(text) -> int:
    try:
        number = int(text)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= 100_000 else 1


class AccessLogView(ManagerRequiredMixin, TemplateView):
    template_name = "clinic/access_log.html"
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
        number = page_number(self.request.GET.get("page"))
        start = (number - 1) * self.paginate_by
        # One more than the page, to know whether there is a next one.
        events = list(self.get_queryset()[start : start + self.paginate_by + 1])
        return super().get_context_data(
            form=self.form,
            events=events[: self.paginate_by],
            page_number=number,
            previous_page=number - 1 if number > 1 else None,
            next_page=number + 1 if len(events) > self.paginate_by else None,
            **kwargs,
        )
