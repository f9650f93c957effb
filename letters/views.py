from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from clinic.access import PractitionerRequiredMixin
from clinic.access_log import AccessEvent, record_view
from sessions.models import TreatmentSession

from . import content, roles, services
from .models import ReferralLetter
from .pdf import letter_context, letter_for_pdf, pdf_response, printable


def letters_of(practitioner):
    return ReferralLetter.objects.for_clinic(practitioner.clinic_id)


def log_read(request, letter, record_type=AccessEvent.RecordType.LETTER):
    record_view(request, client=letter.client, record_type=record_type, record_id=letter.pk)


class LetterFromSessionView(PractitionerRequiredMixin, View):
    """The session page's button: the session's letter, made now if there is none yet."""

    http_method_names = ["post"]

    def load_objects(self, session_pk):
        sessions = TreatmentSession.objects.for_clinic(self.practitioner.clinic_id)
        self.session = get_object_or_404(
            sessions.select_related("client", "practitioner"), pk=session_pk
        )

    def post(self, request, session_pk):
        try:
            letter, made = services.letter_from_session(
                session=self.session, practitioner=self.practitioner
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sessions:session-detail", pk=self.session.pk)
        if made:
            messages.success(request, "Draft letter made. Preview it, then issue it.")
        return redirect("letters:letter-detail", pk=letter.pk)


class LetterDetailView(PractitionerRequiredMixin, View):
    def load_objects(self, pk):
        self.letter = get_object_or_404(printable(letters_of(self.practitioner)), pk=pk)

    def get(self, request, pk):
        log_read(request, self.letter)
        context = letter_context(self.letter) | {
            "may_issue": roles.is_treating(self.letter.session, self.practitioner),
            "refusal": roles.only_treating(self.letter.session, "issue"),
            "no_sign_now": not content.found_a_warning_sign(self.letter.session),
        }
        return render(request, "letters/letter_detail.html", context)


class LetterPdfView(PractitionerRequiredMixin, View):
    """An issued letter answers its stored bytes; a draft is rendered as a preview."""

    def get(self, request, pk):
        letter = letter_for_pdf(letters_of(self.practitioner), pk)
        log_read(request, letter, AccessEvent.RecordType.LETTER_PDF)
        return pdf_response(letter)


class LetterIssueView(PractitionerRequiredMixin, View):
    http_method_names = ["post"]

    def load_objects(self, pk):
        letters = letters_of(self.practitioner).defer("pdf").select_related("session__practitioner")
        self.letter = get_object_or_404(letters, pk=pk)

    def post(self, request, pk):
        try:
            services.issue_letter(letter=self.letter, practitioner=self.practitioner)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Letter issued. Its PDF is stored and will not change.")
        return redirect("letters:letter-detail", pk=self.letter.pk)
