from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View

from catalogue.fields import refuse_nul
from clinic.access import PractitionerRequiredMixin, get_client_or_404
from clinic.access_log import AccessEvent, record_view
from clinic.form_errors import add_errors
from clinic.revisions import StaleEdit, posted_revision, show_conflicts
from sessions.error_summary import error_links
from sessions.views import get_session_or_404

from . import printing, roles, services
from .cautions import AvoidedOnSheet, SheetCautions
from .forms import SHEET_FIELDS, HomeCareSheetForm, ItemFormSet
from .models import HomeCareSheet
from .pdf import pdf_response, printable, sheet_context, sheet_for_pdf


def sheets_of(practitioner):
    return HomeCareSheet.objects.for_clinic(practitioner.clinic_id)


def item_rows_from(items):
    """The rows' initial values; the point itself (not its code), so that the rows' names
    need no query of their own."""
    return [
        {
            "point": item.point,
            "side": item.side,
            "tool": item.tool.slug,
            "duration_seconds": item.duration_seconds,
            "times_per_day": item.times_per_day,
            "instructions": item.instructions,
            "ORDER": position + 1,
        }
        for position, item in enumerate(items)
    ]


class SheetFromSessionView(PractitionerRequiredMixin, View):
    """One click on a session: a draft sheet with its self-care points, or the draft made
    from it already, unless the practitioner asks for another (`another=1`)."""

    http_method_names = ["post"]

    def load_objects(self, session_pk):
        self.session = get_session_or_404(self.practitioner, session_pk)

    def post(self, request, session_pk):
        try:
            made = services.sheet_from_session(
                session=self.session,
                practitioner=self.practitioner,
                reuse_draft=request.POST.get("another") != "1",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sessions:session-detail", pk=self.session.pk)
        if made.reused:
            messages.info(
                request,
                "Your draft sheet from this session is open. To start another one, use "
                "Make another sheet on the session.",
            )
        left_out, to_review = "; ".join(made.left_out), "; ".join(made.to_review)
        if left_out:
            messages.warning(
                request, f"Left out, to be avoided for this client's health flags: {left_out}."
            )
        if to_review:
            messages.info(
                request,
                f"Cautions for this client on the sheet: {to_review}. "
                "Review them and tick the acknowledgement when you save.",
            )
        return redirect("homecare:sheet-update", pk=made.sheet.pk)


class SheetFormView(PractitionerRequiredMixin, View):
    template_name = "homecare/sheet_form.html"
    sheet = None

    def render_form(self, form, formset, warnings=()):
        warned = {w.index: w for w in warnings}
        for index, item_form in enumerate(formset.live_forms()):
            item_form.caution = warned.get(index)
        context = {
            "client": self.client,
            "sheet": self.sheet,
            "form": form,
            "formset": formset,
            "error_links": error_links(form, formset, fields_before_rows=("revision",)),
        }
        return render(self.request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        form = HomeCareSheetForm(request.POST, instance=self.sheet)
        formset = ItemFormSet(request.POST, prefix="items")
        form_is_valid, formset_is_valid = form.is_valid(), formset.is_valid()
        if not (form_is_valid and formset_is_valid):
            return self.render_form(form, formset)
        rows_forms = formset.live_forms()  # in the rows' order, read before any error is added
        try:
            sheet = self.save(form, **form.sheet_values(), items=formset.rows())
        except StaleEdit as stale:
            add_errors(form, stale)
            show_conflicts(form, stale.current, SHEET_FIELDS)
            return self.render_form(form, formset)
        except AvoidedOnSheet as refused:
            for index, errors in refused.rows.items():
                for field, message in errors.items():
                    rows_forms[index].add_error(field, message)
            return self.render_form(form, formset)
        except ValidationError as error:
            add_errors(form, error)
            return self.render_form(form, formset, getattr(error, "warnings", ()))
        messages.success(request, "Sheet saved.")
        return redirect("homecare:sheet-detail", pk=sheet.pk)


class SheetCreateView(SheetFormView):
    def load_objects(self, client_pk):
        self.client = get_client_or_404(self.practitioner, client_pk)

    def get(self, request, client_pk):
        return self.render_form(HomeCareSheetForm(), ItemFormSet(prefix="items"))

    def save(self, form, **values):
        return services.create_sheet(client=self.client, practitioner=self.practitioner, **values)


class SheetUpdateView(SheetFormView):
    def load_objects(self, pk):
        sheets = sheets_of(self.practitioner).defer("pdf").select_related("client")
        self.sheet = get_object_or_404(sheets, pk=pk)
        self.client = self.sheet.client
        roles.refuse_unless_maker(self.sheet, self.practitioner, to="edit")
        if self.sheet.is_issued:
            messages.error(self.request, services.ISSUED_MESSAGE)
            return redirect("homecare:sheet-detail", pk=self.sheet.pk)
        return None

    def get(self, request, pk):
        items = list(self.sheet.items.select_related("point", "tool"))
        formset = ItemFormSet(prefix="items", initial=item_rows_from(items))
        # The rows' cautions from the start (a draft from a session keeps them, to be
        # acknowledged), as a refused save shows them.
        warnings = SheetCautions.for_items(self.client, items).warnings()
        return self.render_form(HomeCareSheetForm(instance=self.sheet), formset, warnings)

    def save(self, form, **values):
        return services.update_sheet(
            sheet=self.sheet,
            practitioner=self.practitioner,
            expected_revision=form.cleaned_data["revision"],
            **values,
        )


def log_read(request, sheet, record_type=AccessEvent.RecordType.SHEET, detail=""):
    record_view(
        request, client=sheet.client, record_type=record_type, record_id=sheet.pk, detail=detail
    )


class PrintableSheetMixin(PractitionerRequiredMixin):
    def load_objects(self, pk):
        self.sheet = get_object_or_404(printable(sheets_of(self.practitioner)), pk=pk)


class SheetDetailView(PrintableSheetMixin, View):
    def get(self, request, pk):
        log_read(request, self.sheet)
        context = {"sheet": self.sheet, "allowed": roles.allowed(self.sheet, self.practitioner)}
        return render(request, "homecare/sheet_detail.html", context)


class SheetPrintView(PrintableSheetMixin, View):
    """The print-ready page, on the paper and in the print size saved on the sheet (its
    toolbar saves another choice on a draft). `?print=1` opens the print dialog at once."""

    def get(self, request, pk):
        log_read(request, self.sheet, detail="print page")
        context = sheet_context(self.sheet, csp_nonce=request.csp_nonce)
        context |= {
            "allowed": roles.allowed(self.sheet, self.practitioner),
            "autoprint": request.GET.get("print") == "1",
            "messages": get_messages(request),
            "csrf_token": get_token(request),
        }
        return HttpResponse(render_to_string("homecare/print/homecare_sheet.html", context))


class SheetPdfView(PractitionerRequiredMixin, View):
    """An issued sheet answers its stored bytes; a draft is rendered as a preview."""

    def get(self, request, pk):
        sheet = sheet_for_pdf(sheets_of(self.practitioner), pk)
        log_read(request, sheet, AccessEvent.RecordType.SHEET_PDF)
        return pdf_response(sheet)


class SheetActionView(PractitionerRequiredMixin, View):
    """A POST on one sheet; the service reads it again under its lock."""

    http_method_names = ["post"]

    def load_objects(self, pk):
        self.sheet = get_object_or_404(sheets_of(self.practitioner).defer("pdf"), pk=pk)


class SheetIssueView(SheetActionView):
    def post(self, request, pk):
        try:
            services.issue_sheet(
                sheet=self.sheet,
                practitioner=self.practitioner,
                expected_revision=posted_revision(request),
            )
        except StaleEdit as stale:
            messages.error(request, stale.action_message("issued"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Sheet issued. Its PDF is stored and will not change.")
        return redirect("homecare:sheet-detail", pk=self.sheet.pk)


class SheetNewVersionView(SheetActionView):
    def post(self, request, pk):
        try:
            copy, made = services.new_version(sheet=self.sheet, practitioner=self.practitioner)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("homecare:sheet-detail", pk=self.sheet.pk)
        if made:
            messages.success(request, f"Version {copy.version} made from the issued sheet.")
        else:
            messages.info(
                request, f"Version {copy.version} of this sheet exists already: here it is."
            )
        if not roles.allowed(copy, self.practitioner).edit:  # someone else's draft or issued
            return redirect("homecare:sheet-detail", pk=copy.pk)
        return redirect("homecare:sheet-update", pk=copy.pk)


LARGE_PRINT_VALUES = {"", "on", "1", "true"}  # a checkbox's: ticked, or not sent
BAD_PAPER = "Choose the paper (A4 or US Letter) and the print size. Nothing was changed."


def chosen_print(request) -> tuple[str, bool]:
    """The paper and print size posted by a print form; a paper we do not print on, a
    print size that is not a checkbox's, or a NUL anywhere is refused (ValidationError)."""
    for name in request.POST:
        refuse_nul([name, *request.POST.getlist(name)])
    paper = request.POST.get("paper")
    large_print = request.POST.get("large_print", "")
    if paper not in HomeCareSheet.Paper.values or large_print not in LARGE_PRINT_VALUES:
        raise ValidationError(BAD_PAPER)
    return paper, bool(large_print)


class SheetPrintOptionsView(SheetActionView):
    """Paper and print size saved on a draft, over the revision the page showed; back to
    the print page (`next=print`) or the sheet page."""

    def post(self, request, pk):
        try:
            paper, large_print = chosen_print(request)
            services.update_sheet(
                sheet=self.sheet,
                practitioner=self.practitioner,
                expected_revision=posted_revision(request),
                paper=paper,
                large_print=large_print,
            )
        except StaleEdit as stale:
            messages.error(request, stale.action_message("changed"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Paper and print size saved on the sheet.")
        to = "homecare:sheet-print" if request.POST.get("next") == "print" else None
        return redirect(to or "homecare:sheet-detail", pk=self.sheet.pk)


class SheetIssueAndPrintView(PractitionerRequiredMixin, View):
    """The session page's one button: the session's sheet issued on the paper and print
    size chosen beside it, then its print page, which opens the print dialog."""

    http_method_names = ["post"]

    def load_objects(self, session_pk):
        self.session = get_session_or_404(self.practitioner, session_pk)

    def post(self, request, session_pk):
        try:
            paper, large_print = chosen_print(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sessions:session-detail", pk=self.session.pk)
        try:
            printed = printing.issue_and_print(
                session=self.session,
                practitioner=self.practitioner,
                paper=paper,
                large_print=large_print,
                draft_revision=posted_revision(request),
            )
        except StaleEdit as stale:
            messages.error(request, stale.action_message("issued"))
            return redirect("sessions:session-detail", pk=self.session.pk)
        except ValidationError as error:
            text = " ".join(error.messages)
            if printing.REVIEW_FIRST not in text and "Nothing was issued" not in text:
                text = f"{text} {printing.REVIEW_FIRST}"
            messages.error(request, text)
            return redirect("sessions:session-detail", pk=self.session.pk)
        if not printed.issued_now:
            sheet = printed.sheet
            messages.info(
                request,
                f"This session's sheet was issued on {sheet.get_paper_display()}"
                f"{', large print' if sheet.large_print else ''}: it prints as issued.",
            )
        url = reverse("homecare:sheet-print", args=[printed.sheet.pk])
        return redirect(f"{url}?print=1")
