from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from clinic.access import (
    PractitionerRequiredMixin,
    get_client_or_404,
    get_session_or_404,
    get_sheet_or_404,
    sheets_for,
)

from .. import homecare
from ..homecare_forms import HomeCareSheetForm, ItemFormSet
from ..pdf import pdf_response, printable, render_sheet_html
from ..services import caution_warnings
from .records import add_service_errors


def item_rows_from(sheet):
    return [
        {
            "point": item.point.code,
            "side": item.side,
            "tool": item.tool.slug,
            "duration_seconds": item.duration_seconds,
            "times_per_day": item.times_per_day,
            "instructions": item.instructions,
            "ORDER": position + 1,
        }
        for position, item in enumerate(sheet.items.select_related("point", "tool"))
    ]


class SheetFromSessionView(PractitionerRequiredMixin, View):
    """One click on a session: a draft sheet with its self-care points."""

    http_method_names = ["post"]

    def load_objects(self, pk):
        self.session = get_session_or_404(self.practitioner, pk)

    def post(self, request, pk):
        try:
            sheet, left_out = homecare.sheet_from_session(
                session=self.session, practitioner=self.practitioner
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sessions:session-detail", pk=self.session.pk)
        if left_out:
            messages.warning(
                request,
                "Left out for this client's health flags: "
                + "; ".join(left_out)
                + ". Add a point back only if you judge it safe; you will be asked to confirm.",
            )
        return redirect("sessions:homecare-update", pk=sheet.pk)


class SheetFormView(PractitionerRequiredMixin, View):
    template_name = "sessions/homecare_form.html"
    sheet = None

    def render_form(self, form, formset, warnings=()):
        warned = {w.index: w for w in warnings}
        for index, item_form in enumerate(formset.live_forms()):
            item_form.caution = warned.get(index)
        context = {"client": self.client, "sheet": self.sheet, "form": form, "formset": formset}
        return render(self.request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        form = HomeCareSheetForm(request.POST, instance=self.sheet)
        formset = ItemFormSet(request.POST, prefix="items")
        form_is_valid, formset_is_valid = form.is_valid(), formset.is_valid()
        if not (form_is_valid and formset_is_valid):
            return self.render_form(form, formset)
        rows = formset.rows()
        fields = {k: form.cleaned_data[k] for k in ("general_advice", "large_print", "paper")}
        try:
            sheet = self.save(rows, fields, form.cleaned_data["caution_acknowledged"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_form(form, formset, caution_warnings(self.client, rows))
        messages.success(request, "Sheet saved.")
        return redirect("sessions:homecare-detail", pk=sheet.pk)


class SheetCreateView(SheetFormView):
    def load_objects(self, client_pk):
        self.client = get_client_or_404(self.practitioner, client_pk)

    def get(self, request, client_pk):
        return self.render_form(HomeCareSheetForm(), ItemFormSet(prefix="items"))

    def save(self, rows, fields, acknowledged):
        return homecare.create_sheet(
            client=self.client,
            practitioner=self.practitioner,
            rows=rows,
            fields=fields,
            caution_acknowledged=acknowledged,
        )


class SheetUpdateView(SheetFormView):
    def load_objects(self, pk):
        self.sheet = get_sheet_or_404(self.practitioner, pk)
        self.client = self.sheet.client
        if self.sheet.is_issued:
            messages.error(self.request, homecare.ISSUED_MESSAGE)
            return redirect("sessions:homecare-detail", pk=self.sheet.pk)
        return None

    def get(self, request, pk):
        formset = ItemFormSet(prefix="items", initial=item_rows_from(self.sheet))
        return self.render_form(HomeCareSheetForm(instance=self.sheet), formset)

    def save(self, rows, fields, acknowledged):
        return homecare.update_sheet(
            self.sheet, rows=rows, fields=fields, caution_acknowledged=acknowledged
        )


class SheetDetailView(PractitionerRequiredMixin, View):
    def load_objects(self, pk):
        sheets = printable(sheets_for(self.practitioner).defer("pdf"))
        self.sheet = get_object_or_404(sheets, pk=pk)

    def get(self, request, pk):
        return render(request, "sessions/homecare_detail.html", {"sheet": self.sheet})


class SheetPrintView(SheetDetailView):
    """The print-ready page (A4 or US Letter, normal or large print)."""

    def get(self, request, pk):
        paper = request.GET.get("paper") if request.GET.get("paper") in ("a4", "letter") else None
        large = {"1": True, "0": False}.get(request.GET.get("large"))
        html = render_sheet_html(self.sheet, paper=paper, large_print=large)
        return HttpResponse(html)


class SheetPdfView(SheetDetailView):
    """An issued sheet answers its stored bytes; a draft is rendered as a preview."""

    def get(self, request, pk):
        return pdf_response(sheets_for(self.practitioner), pk)


class SheetIssueView(SheetDetailView):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            homecare.issue_sheet(self.sheet, practitioner=self.practitioner)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Sheet issued. Its PDF is stored and will not change.")
        return redirect("sessions:homecare-detail", pk=self.sheet.pk)


class SheetNewVersionView(SheetDetailView):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            copy = homecare.new_version(self.sheet, practitioner=self.practitioner)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sessions:homecare-detail", pk=self.sheet.pk)
        messages.success(request, f"Version {copy.version} made from the issued sheet.")
        return redirect("sessions:homecare-update", pk=copy.pk)
