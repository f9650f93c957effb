"""Treatment plans: start one for a client (the whole series booked in one step, by
plans.start_plan), and a plan's page with its appointments and progress."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import DetailView

from clinic.access import PractitionerRequiredMixin, get_client_or_404
from clinic.form_errors import add_errors

from .. import booking, plans
from ..forms.plans import PlanForm
from ..models import TreatmentPlan
from ..panels import plans_with_appointments


class PlanCreateView(PractitionerRequiredMixin, View):
    template_name = "scheduling/plan_form.html"

    def load_objects(self, client_pk):
        self.client = get_client_or_404(self.practitioner, client_pk)
        if self.client.archived:
            messages.error(self.request, "This client is archived: restore them to plan sessions.")
            return redirect("clinic:client-detail", pk=self.client.pk)
        return None

    def render_form(self, form, outside=()):
        context = {"client": self.client, "form": form, "outside": outside}
        return render(self.request, self.template_name, context)

    def get(self, request, client_pk):
        return self.render_form(PlanForm(practitioner=self.practitioner))

    def post(self, request, client_pk):
        form = PlanForm(request.POST, practitioner=self.practitioner)
        if not form.is_valid():
            return self.render_form(form)
        try:
            plan = plans.start_plan(
                client=self.client, created_by=self.practitioner, **form.plan_values()
            )
        except booking.NeedsConfirmation as needs:
            form.ask_to_confirm()
            return self.render_form(form, outside=needs.reasons)
        except ValidationError as error:
            add_errors(form, error)
            return self.render_form(form)
        messages.success(request, f"Plan started: {plan.sessions_planned} sessions booked.")
        return redirect("scheduling:plan-detail", pk=plan.pk)


class PlanDetailView(PractitionerRequiredMixin, DetailView):
    template_name = "scheduling/plan_detail.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        found = TreatmentPlan.objects.for_clinic(self.practitioner.clinic_id).select_related(
            "client", "practitioner"
        )
        return get_object_or_404(plans_with_appointments(found), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        reviews = set(self.object.review_at)
        return super().get_context_data(
            progress=plans.progress(self.object),
            rows=[(a, a.plan_number in reviews) for a in self.object.appointments.all()],
            **kwargs,
        )
