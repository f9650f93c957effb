"""The diary in the admin. A clinic's setup (rooms, appointment types, working hours, time
off, reminder settings) is edited here with its history; rooms and types are retired (set
not in use / not offered), never deleted, since appointments cite them. Appointments,
treatment plans and reminders are clinical records: the superuser's only, to look at,
written through the practitioner pages and API (booking.py's rules) and never here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from clinic.admin_readonly import NeverWrittenAdmin, ReadOnlyAdmin, ReadOnlyInline

from . import hours
from .models import (
    Appointment,
    AppointmentType,
    DiarySettings,
    Reminder,
    Room,
    TimeOff,
    TreatmentPlan,
    WorkingHours,
)


class RetiredNotDeleted(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Room)
class RoomAdmin(RetiredNotDeleted):
    list_display = ["name", "clinic", "is_active"]
    list_filter = ["clinic", "is_active"]
    list_select_related = ["clinic"]
    search_fields = ["name", "clinic__name"]


@admin.register(AppointmentType)
class AppointmentTypeAdmin(RetiredNotDeleted):
    list_display = ["name", "minutes", "clinic", "is_active"]
    list_filter = ["clinic", "is_active"]
    list_select_related = ["clinic"]
    search_fields = ["name", "clinic__name"]


class WorkingHoursForm(forms.ModelForm):
    """Under the same rule as the API's (hours.check_stretch)."""

    class Meta:
        model = WorkingHours
        fields = ["practitioner", "weekday", "starts", "ends"]

    def clean(self):
        cleaned = super().clean()
        given = [cleaned.get(name) for name in ("practitioner", "weekday", "starts", "ends")]
        if None not in given:
            practitioner, weekday, starts, ends = given
            try:
                hours.check_stretch(
                    practitioner=practitioner,
                    weekday=weekday,
                    starts=starts,
                    ends=ends,
                    ignore=self.instance,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(WorkingHours)
class WorkingHoursAdmin(SimpleHistoryAdmin):
    form = WorkingHoursForm
    list_display = ["practitioner", "weekday", "starts", "ends"]
    list_filter = ["practitioner__clinic", "weekday"]
    list_select_related = ["practitioner"]
    search_fields = ["practitioner__display_name"]
    autocomplete_fields = ["practitioner"]


@admin.register(TimeOff)
class TimeOffAdmin(SimpleHistoryAdmin):
    list_display = ["practitioner", "starts_at", "ends_at", "reason"]
    list_filter = ["practitioner__clinic"]
    list_select_related = ["practitioner"]
    search_fields = ["practitioner__display_name", "reason"]
    autocomplete_fields = ["practitioner"]
    date_hierarchy = "starts_at"


@admin.register(DiarySettings)
class DiarySettingsAdmin(SimpleHistoryAdmin):
    list_display = ["clinic", "reminder_hours_before", "email_reminders", "sms_reminders"]
    list_select_related = ["clinic"]
    search_fields = ["clinic__name"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "ends_at", "client", "practitioner", "room", "status"]
    list_filter = ["status", "clinic", "practitioner"]
    list_select_related = ["client", "practitioner", "room"]
    search_fields = ["client__first_name", "client__last_name", "practitioner__display_name"]
    date_hierarchy = "starts_at"


class PlanAppointmentInline(ReadOnlyInline):
    model = Appointment
    fields = ["plan_number", "starts_at", "ends_at", "status"]
    ordering = ["plan_number", "starts_at"]


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "client", "practitioner", "sessions_planned", "interval_days"]
    list_filter = ["clinic"]
    list_select_related = ["client", "practitioner"]
    search_fields = ["client__first_name", "client__last_name"]
    inlines = [PlanAppointmentInline]


@admin.register(Reminder)
class ReminderAdmin(NeverWrittenAdmin):
    """Which reminders went, and when: kept without a history of their own (each is
    written once, when sent, by the worker)."""

    list_display = ["due_at", "channel", "appointment", "sent_at", "attempts", "cancelled_at"]
    list_filter = ["channel", ("sent_at", admin.EmptyFieldListFilter), "appointment__clinic"]
    list_select_related = ["appointment__client", "appointment__practitioner"]
    search_fields = ["appointment__client__first_name", "appointment__client__last_name"]
