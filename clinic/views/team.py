"""The team pages of a clinic manager: the clinic's practitioners, adding one, changing a
role or deactivating, and the clinic's second-factor setting. The rules are in
clinic/team.py; another practitioner gets 403, a practitioner of another clinic 404."""

import smtplib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from .. import team
from ..access import ManagerRequiredMixin
from ..form_errors import add_errors
from ..forms import NewPractitionerForm, SecondFactorSettingForm, TeamMemberForm
from ..revisions import StaleEdit, show_conflicts


class TeamView(ManagerRequiredMixin, View):
    def get(self, request):
        clinic = self.practitioner.clinic
        members = team.team_of(clinic.pk).order_by("-is_active", "display_name")
        members = list(members)
        with_app = team.with_second_factor(members)
        rows = [(member, member.user_id in with_app) for member in members]
        context = {"rows": rows, "setting": SecondFactorSettingForm(instance=clinic)}
        return render(request, "clinic/team.html", context)


class TeamAddView(ManagerRequiredMixin, View):
    template_name = "clinic/team_add.html"

    def get(self, request):
        return render(request, self.template_name, {"form": NewPractitionerForm()})

    def post(self, request):
        form = NewPractitionerForm(request.POST)
        if form.is_valid():
            try:
                added = team.add_practitioner(by=self.practitioner, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                return self.welcome(added)
        return render(request, self.template_name, {"form": form})

    def welcome(self, added):
        try:
            team.mail_set_password_link(self.request, added)
        except (OSError, smtplib.SMTPException):
            messages.warning(
                self.request,
                f"{added} was added, but the mail to {added.user.email} could not be sent. "
                "Ask them to use “Forgot your password?” on the login page.",
            )
        else:
            messages.success(
                self.request,
                f"{added} was added. A link to set their password was mailed to "
                f"{added.user.email}.",
            )
        return redirect("clinic:team")


class TeamMemberView(ManagerRequiredMixin, View):
    template_name = "clinic/team_member.html"

    def load_objects(self, pk):
        self.member = get_object_or_404(team.team_of(self.practitioner.clinic_id), pk=pk)

    def get(self, request, pk):
        return self.render_form(TeamMemberForm(instance=self.member))

    def post(self, request, pk):
        form = TeamMemberForm(request.POST, instance=self.member)
        if form.is_valid():
            try:
                changed = team.change_member(
                    by=self.practitioner,
                    member=self.member,
                    expected_revision=form.cleaned_data["revision"],
                    role=form.cleaned_data["role"],
                    is_active=form.cleaned_data["is_active"],
                )
            except StaleEdit as stale:
                add_errors(form, stale)
                show_conflicts(form, stale.current, TeamMemberForm.Meta.fields)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"{changed} was saved.")
                return redirect("clinic:team")
        return self.render_form(form)

    def render_form(self, form):
        return render(self.request, self.template_name, {"member": self.member, "form": form})


class SecondFactorSettingView(ManagerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        clinic = self.practitioner.clinic
        form = SecondFactorSettingForm(request.POST, instance=clinic)
        if not form.is_valid():
            messages.error(request, "The setting was not saved: open the team page again.")
            return redirect("clinic:team")
        try:
            saved = team.set_requires_second_factor(
                by=self.practitioner,
                clinic=clinic,
                expected_revision=form.cleaned_data["revision"],
                required=form.cleaned_data["requires_second_factor"],
            )
        except StaleEdit as stale:
            messages.error(request, stale.action_message("saved"))
        else:
            messages.success(
                request,
                "Every practitioner of the clinic now needs a second factor to sign in."
                if saved.requires_second_factor
                else "A second factor is now each practitioner's choice.",
            )
        return redirect("clinic:team")
