"""The export of a client's record through the API: `GET /api/v1/clients/{id}/export/`."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import APIView

from clinic.access import require_practitioner
from clinic.access_log import API

from .downloads import FORMATS, export_response
from .export import clients_to_export

EXPORT_JSON = inline_serializer(
    "ClientRecordExport",
    {
        "export": inline_serializer(
            "ClientRecordExportInfo",
            {
                "format": serializers.CharField(),
                "version": serializers.IntegerField(),
                "exported_at": serializers.DateTimeField(),
                "exported_by": serializers.DictField(),
                "clinic": serializers.DictField(),
            },
        ),
        "client": serializers.DictField(help_text="Every field of the client."),
        "sessions": serializers.ListField(
            child=serializers.DictField(),
            help_text="Oldest first, each with its conditions, points and amendments.",
        ),
        "homecare_sheets": serializers.ListField(
            child=serializers.DictField(),
            help_text="Oldest first, each with its items; an issued sheet's `pdf` holds the "
            "stored PDF as base64 with its SHA-256 (null for a draft).",
        ),
        "access_log": serializers.ListField(
            child=serializers.DictField(),
            help_text="Who viewed or exported the record, oldest first; this export last.",
        ),
    },
)


class ExportFormatNotRenderer(BaseContentNegotiation):
    """`format` here chooses the export, not a renderer: the export answers itself, and an
    error is JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ClientExportView(APIView):
    """Export the client's whole record: details, health flags, consent, every session with
    its points, conditions and amendments, every home-care sheet with its items and issued
    PDFs, and who viewed or exported it. The export is itself logged, and listed in it."""

    content_negotiation_class = ExportFormatNotRenderer

    @extend_schema(
        operation_id="clients_export",
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=list(FORMATS),
                default="json",
                description="json: one JSON file (issued PDFs as base64); pdf: a readable "
                "PDF with the issued PDFs attached.",
            )
        ],
        responses={
            (200, "application/json"): EXPORT_JSON,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, pk):
        practitioner = require_practitioner(request)
        client = get_object_or_404(clients_to_export(practitioner), pk=pk)
        export_format = request.query_params.get("format", "json")
        if export_format not in FORMATS:
            raise ValidationError({"format": ["Choose json or pdf."]})
        return export_response(
            request, client, practitioner=practitioner, export_format=export_format, via=API
        )
