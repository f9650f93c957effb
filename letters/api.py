"""Referral letters API: a clinic's letters and their PDFs, to read. Letters are made and
issued on the session's pages by the treating practitioner; they are never changed or
deleted here."""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination

from clinic.access import clients_for_request, require_practitioner
from clinic.access_log import API, AccessEvent, record_view
from clinic.api_records import ReadLoggedMixin
from homecare.api import JsonUnlessAcceptable

from .models import ReferralLetter
from .pdf import letter_for_pdf, pdf_response


class ReferralLetterSerializer(serializers.ModelSerializer):
    warning_signs = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Keys of the warning signs found at the session's check-in that the "
        "letter is about (as issued; for a draft, as when it was made).",
    )
    is_issued = serializers.BooleanField(read_only=True)

    class Meta:
        model = ReferralLetter
        fields = [
            "id",
            "client",
            "session",
            "created_by",
            "created_at",
            "warning_signs",
            "is_issued",
            "issued_at",
            "issued_by",
            "pdf_sha256",
        ]
        read_only_fields = fields


class ReferralLetterFilter(filters.FilterSet):
    client = filters.ModelChoiceFilter(queryset=clients_for_request, label="Client id")

    class Meta:
        model = ReferralLetter
        fields = ["client"]


class NewestLettersFirst(CursorPagination):
    """Pages of the clinic's letters, newest first, read off the (clinic, created_at) index;
    no total (as the sessions' and sheets' lists). Follow `next` for older ones."""

    page_size = 25
    ordering = ("-created_at", "-id")


class ReferralLetterViewSet(
    ReadLoggedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A clinic's referral letters, newest first: each a note for the client and a summary
    for their doctor, made where a session's check-in found a warning sign. An issued
    letter's PDF is stored and never changes."""

    serializer_class = ReferralLetterSerializer
    pagination_class = NewestLettersFirst
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ReferralLetterFilter
    access_record_type = AccessEvent.RecordType.LETTER

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReferralLetter.objects.none()
        letters = ReferralLetter.objects.for_clinic(require_practitioner(self.request).clinic_id)
        return letters if self.action == "pdf" else letters.defer("pdf")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], content_negotiation_class=JsonUnlessAcceptable)
    def pdf(self, request, pk=None):
        """An issued letter answers its stored bytes, the same every time; a draft is
        rendered as a preview, marked as a draft."""
        letter = letter_for_pdf(self.filter_queryset(self.get_queryset()), pk)
        record_view(
            request,
            client=letter.client,
            record_type=AccessEvent.RecordType.LETTER_PDF,
            record_id=letter.pk,
            detail=API,
        )
        return pdf_response(letter)
