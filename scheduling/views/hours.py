"""A practitioner's working hours and time off: their own, or a colleague's for a clinic
manager (hours.may_edit). Booking outside them asks for confirmation (booking.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from clinic.access import PractitionerRequiredMixin, colleagues_for
from clinic.form_errors import add_errors

from .. import hours
from ..forms.week import TimeOffForm, WeekForm
from ..models import TimeOff, WorkingHours


class HoursMixin(PractitionerRequiredMixin):
    def load_objects(self, practitioner_pk=None, **kwargs):
        if practitioner_pk is None:
            self.member = self.practitioner
        else:
            self.member = get_object_or_404(colleagues_for(self.practitioner), pk=practitioner_pk)
        hours.refuse_unless_may_edit(owner=self.member, actor=self.practitioner)

    def render_page(self, week=None, time_off=None):
        saved = WorkingHours.objects.filter(practitioner=self.member)
        away = TimeOff.objects.filter(practitioner=self.member, ends_at__gt=timezone.now())
        context = {
            "member": self.member,
            "week": week or WeekForm(saved=saved),
            "time_off_form": time_off or TimeOffForm(),
            "time_off": away.order_by("starts_at"),
            "team": colleagues_for(self.practitioner) if self.practitioner.is_manager else (),
        }
        return render(self.request, "scheduling/hours.html", context)

    def back(self):
        if self.member == self.practitioner:
            return redirect("scheduling:hours")
        return redirect("scheduling:hours-of", practitioner_pk=self.member.pk)


class HoursView(HoursMixin, View):
    def get(self, request, **kwargs):
        return self.render_page()

    def post(self, request, **kwargs):
        saved = WorkingHours.objects.filter(practitioner=self.member)
        week = WeekForm(request.POST, saved=saved)
        if week.is_valid():
            try:
                hours.set_week(
                    practitioner=self.member, stretches=week.stretches, changed_by=self.practitioner
                )
            except ValidationError as error:
                add_errors(week, error)
            else:
                messages.success(request, f"{self.member}'s working hours are saved.")
                return self.back()
        return self.render_page(week=week)


class TimeOffAddView(HoursMixin, View):
    http_method_names = ["post"]

    def post(self, request, **kwargs):
        form = TimeOffForm(request.POST)
        if form.is_valid():
            try:
                hours.add_time_off(
                    practitioner=self.member, added_by=self.practitioner, **form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Time off added.")
                return self.back()
        return self.render_page(time_off=form)


class TimeOffRemoveView(PractitionerRequiredMixin, View):
    http_method_names = ["post"]

    def load_objects(self, pk):
        clinics = TimeOff.objects.for_clinic(self.practitioner.clinic_id)
        self.time_off = get_object_or_404(clinics.select_related("practitioner"), pk=pk)

    def post(self, request, pk):
        hours.remove_time_off(time_off=self.time_off, removed_by=self.practitioner)
        messages.success(request, "Time off removed.")
        member = self.time_off.practitioner
        if member == self.practitioner:
            return redirect("scheduling:hours")
        return redirect("scheduling:hours-of", practitioner_pk=member.pk)
