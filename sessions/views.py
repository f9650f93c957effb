from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import DetailView

from catalogue.models import Condition
from clinic.access import PractitionerRequiredMixin, get_client_or_404
from clinic.access_log import AccessEvent, record_view
from clinic.form_errors import add_errors
from clinic.revisions import StaleEdit, posted_revision, show_conflicts

from . import cautions, check_in, roles, services, whole_history
from .error_summary import error_links
from .forms import AmendmentForm, PointFormSet, SessionForm
from .models import TreatedPoint, TreatmentSession
from .pain_marks import saved_marks, stored


def sessions_of(practitioner):
    return TreatmentSession.objects.for_clinic(practitioner.clinic_id)


def get_session_or_404(practitioner, pk):
    return get_object_or_404(sessions_of(practitioner).select_related("client"), pk=pk)


def points_summary(session) -> str:
    treated = session.treated_points.select_related("point")
    return (
        ", ".join(f"{tp.point.code} ({tp.get_side_display().lower()})" for tp in treated) or "none"
    )


def marks_summary(session) -> str:
    return "; ".join(mark.description for mark in saved_marks(session)) or "nothing marked"


def point_rows_from(session, *, with_tool_state=False):
    return [
        {
            "point": tp.point.code,
            "side": tp.side,
            "tool": tp.tool.slug,
            "duration_seconds": tp.duration_seconds,
            "pressure": tp.pressure,
            "response": tp.response,
            "held_seconds": tp.held_seconds,
            "hold_ended": tp.hold_ended,
            **({"tool_active": tp.tool.is_active} if with_tool_state else {}),
        }
        for tp in session.treated_points.select_related("point", "tool")
    ]


def rows_shown(formset) -> list[SimpleNamespace | None]:
    """The rows on the page as the rule engine reads them, in the page's order (None for a
    row that is not valid yet): the checked rows after a post, the initial ones (an edit, a
    repeated session) before, so that their cautions show at once."""
    if formset.is_bound:
        return [
            SimpleNamespace(
                point=f.row.point, side=f.row.side, tool=f.row.tool_to_use, pressure=f.row.pressure
            )
            if getattr(f, "row", None) is not None
            else None
            for f in formset.live_forms()
        ]
    points, tools = formset.known_points, formset.known_tools
    rows = []
    for row in formset.initial or []:
        point = points.get(row["point"])
        tool = tools.get(row.get("tool")) or (point.default_tool if point else None)
        rows.append(
            SimpleNamespace(point=point, side=row["side"], tool=tool, pressure=row["pressure"])
            if point
            else None
        )
    return rows


FIELDS_BEFORE_ROWS = (
    "revision",
    "started_at",
    "pain_before",
    "conditions",
    "complaint",
    "check_in_found",
    "check_in_acknowledged",
)


class SessionFormView(PractitionerRequiredMixin, View):
    """Shared by create and edit: the session form plus its formset of point rows."""

    template_name = "sessions/session_form.html"
    session = None

    def render_form(self, form, formset, warnings=None):
        found = form["check_in_found"].value() or []
        book = cautions.rule_book(self.client, found_today=check_in.found_flags(found))
        if warnings is None:
            warnings = cautions.row_warnings(book, rows_shown(formset))
        warned = {w.index: w for w in warnings}
        for index, point_form in enumerate(formset.live_forms()):
            point_form.caution = warned.get(index)
        context = {
            "client": self.client,
            "session": self.session,
            "form": form,
            "formset": formset,
            "warnings": warnings,
            "rule_book": book,
            "needed": cautions.needed_acknowledgements(warnings),
            "acknowledged": form["acknowledged_cautions"].value() or [],
            "questions": check_in.questions_for(
                Condition.objects.active(), flags=self.client.health_flags
            ),
            "found": found,
            "error_links": error_links(
                form,
                formset,
                fields_before_rows=FIELDS_BEFORE_ROWS,
                anchors={"acknowledged_cautions": "caution-box", "check_in_found": "check-in"},
            ),
            "hold_defaults": whole_history.hold_defaults(self.client),
            **self.page_context(),
        }
        return render(self.request, self.template_name, context)

    def page_context(self) -> dict:
        """What a subclass's template adds (the diary's: the appointment)."""
        return {}

    def post(self, request, *args, **kwargs):
        form = SessionForm(request.POST, instance=self.session)
        formset = PointFormSet(request.POST, prefix="points")
        form_is_valid, formset_is_valid = form.is_valid(), formset.is_valid()
        if not (form_is_valid and formset_is_valid):
            return self.render_form(form, formset)
        try:
            session = self.save(form, **form.session_values(), points=formset.rows())
        except StaleEdit as stale:
            add_errors(form, stale)
            show_conflicts(form, stale.current, [*services.SESSION_FIELDS, "conditions"])
            form.add_error(None, f"Points saved now: {points_summary(stale.current)}.")
            if stored(form.cleaned_data["pain_marks"]) != (stale.current.pain_marks or []):
                form.add_error(None, f"Where it hurts, saved now: {marks_summary(stale.current)}.")
            return self.render_form(form, formset)
        except ValidationError as error:
            add_errors(form, error)
            return self.render_form(form, formset, getattr(error, "warnings", None))
        messages.success(request, "Session saved.")
        return redirect("sessions:session-detail", pk=session.pk)


class SessionCreateView(SessionFormView):
    def load_objects(self, client_pk):
        self.client = get_client_or_404(self.practitioner, client_pk)

    def get(self, request, *args, **kwargs):
        initial, initial_points = {}, []
        if request.GET.get("repeat") == "last":
            last = sessions_of(self.practitioner).filter(client=self.client).first()
            if last is None:
                messages.info(request, "There is no earlier session to repeat.")
            else:
                initial["conditions"] = list(
                    last.conditions.filter(is_active=True).values_list("slug", flat=True)
                )
                # A tool retired since then is not offered again: the point's default is.
                # Today's response is still to come and today's holds are timed anew.
                initial_points = [
                    {
                        **row,
                        "tool": row["tool"] if row.pop("tool_active") else "",
                        "response": "",
                        "held_seconds": None,
                        "hold_ended": "",
                    }
                    for row in point_rows_from(last, with_tool_state=True)
                ]
        formset = PointFormSet(prefix="points", initial=initial_points)
        return self.render_form(SessionForm(initial=initial), formset)

    def save(self, form, **values):
        return services.record_session(client=self.client, practitioner=self.practitioner, **values)


class SessionUpdateView(SessionFormView):
    def load_objects(self, pk):
        self.session = get_session_or_404(self.practitioner, pk)
        self.client = self.session.client
        roles.refuse_unless_treating(self.session, self.practitioner, to="edit")
        if self.session.is_signed:
            messages.error(self.request, services.SIGNED_MESSAGE)
            return redirect("sessions:session-detail", pk=self.session.pk)
        return None

    def get(self, request, *args, **kwargs):
        formset = PointFormSet(prefix="points", initial=point_rows_from(self.session))
        return self.render_form(SessionForm(instance=self.session), formset)

    def save(self, form, **values):
        return services.update_session(
            session=self.session,
            practitioner=self.practitioner,
            expected_revision=form.cleaned_data["revision"],
            **values,
        )


class SessionDetailView(PractitionerRequiredMixin, DetailView):
    template_name = "sessions/session_detail.html"
    context_object_name = "session"

    def get_object(self, queryset=None):
        sessions = (
            sessions_of(self.practitioner)
            .select_related("client", "practitioner", "signed_by")
            .prefetch_related(
                "conditions",
                Prefetch(
                    "treated_points",
                    TreatedPoint.objects.select_related("point", "tool"),
                ),
                "amendments__amended_by",
            )
        )
        return get_object_or_404(sessions, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        record_view(
            request,
            client=self.object.client,
            record_type=AccessEvent.RecordType.SESSION,
            record_id=self.object.pk,
        )
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        allowed = roles.allowed(self.object, self.practitioner)
        return super().get_context_data(
            allowed=allowed, check_in_found=check_in.found_questions(self.object), **kwargs
        )


class SessionSignView(PractitionerRequiredMixin, View):
    http_method_names = ["post"]

    def load_objects(self, pk):
        self.session = get_session_or_404(self.practitioner, pk)

    def post(self, request, pk):
        try:
            services.sign_session(
                session=self.session,
                practitioner=self.practitioner,
                expected_revision=posted_revision(request),
            )
        except StaleEdit as stale:
            messages.error(request, stale.action_message("signed"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Session signed. It is now read-only.")
        return redirect("sessions:session-detail", pk=self.session.pk)


class SessionAmendView(PractitionerRequiredMixin, View):
    template_name = "sessions/session_amend.html"

    def load_objects(self, pk):
        self.session = get_session_or_404(self.practitioner, pk)
        roles.amending_as(self.session, self.practitioner)
        if not self.session.is_signed:
            messages.info(self.request, "This session is not signed yet: edit it directly.")
            return redirect("sessions:session-update", pk=self.session.pk)
        return None

    def get(self, request, pk):
        return self.render_form(AmendmentForm(instance=self.session))

    def post(self, request, pk):
        form = AmendmentForm(request.POST, instance=self.session)
        if form.is_valid():
            try:
                services.amend_session(
                    session=self.session,
                    practitioner=self.practitioner,
                    reason=form.cleaned_data["reason"],
                    changes=form.changes(),
                    expected_revision=form.cleaned_data["revision"],
                )
            except StaleEdit as stale:
                add_errors(form, stale)
                show_conflicts(form, stale.current, services.AMENDABLE_FIELDS)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Amendment saved. The original values stay on record.")
                return redirect("sessions:session-detail", pk=self.session.pk)
        return self.render_form(form)

    def render_form(self, form):
        return render(self.request, self.template_name, {"session": self.session, "form": form})
