"""`GET /api/v1/clients/{id}/cautions/`: the cautions for this client at a point, side, tool
and pressure (the session form asks as soon as a row's point is chosen), and the cautions
that hold for the client wherever one presses."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.cautioning import Finding
from catalogue.models import Point, PressureLevel, PressureTool
from clinic.access import clients_for, require_practitioner

from . import cautions, check_in
from .models import Side


class RowQuery(serializers.Serializer):
    point = serializers.SlugRelatedField(
        slug_field="code", queryset=Point.objects.select_related("default_tool"), required=False
    )
    side = serializers.ChoiceField(choices=Side.choices, default=Side.BOTH)
    tool = serializers.SlugRelatedField(
        slug_field="slug", queryset=PressureTool.objects.all(), required=False
    )
    pressure = serializers.ChoiceField(
        choices=PressureLevel.choices, default=PressureLevel.MODERATE
    )
    found = serializers.ListField(child=serializers.CharField(max_length=80), required=False)

    def to_internal_value(self, data):
        data = {**data.dict(), "found": data.getlist("found")} if hasattr(data, "getlist") else data
        if "point" in data:
            data["point"] = str(data["point"]).strip().upper()
        return super().to_internal_value(data)


FINDING_FIELDS = {
    "label": serializers.CharField(help_text="What to list in acknowledged_cautions."),
    "rule": serializers.CharField(),
    "flag": serializers.CharField(),
    "flag_label": serializers.CharField(),
    "scope": serializers.CharField(),
    "action": serializers.CharField(),
    "action_label": serializers.CharField(),
    "strength": serializers.CharField(),
    "strength_label": serializers.CharField(),
    "general_knowledge": serializers.BooleanField(),
    "practitioner_note": serializers.CharField(),
    "client_note": serializers.CharField(),
    "needs_acknowledgement": serializers.BooleanField(),
}


class ClientCautionsView(APIView):
    @extend_schema(
        operation_id="client_cautions",
        parameters=[
            OpenApiParameter("point", OpenApiTypes.STR, description="A point code, e.g. SP6."),
            OpenApiParameter("side", OpenApiTypes.STR, enum=Side.values),
            OpenApiParameter(
                "tool",
                OpenApiTypes.STR,
                description="A tool slug; the point's default if left out.",
            ),
            OpenApiParameter("pressure", OpenApiTypes.STR, enum=PressureLevel.values),
            OpenApiParameter(
                "found", OpenApiTypes.STR, many=True, description="Check-in codes answered yes."
            ),
        ],
        responses=inline_serializer(
            "ClientCautions",
            {
                "point": serializers.CharField(allow_null=True),
                "findings": inline_serializer("CautionFinding", FINDING_FIELDS, many=True),
                "whole_client": inline_serializer("ClientWideCaution", FINDING_FIELDS, many=True),
                "suggested_max_seconds": serializers.IntegerField(allow_null=True),
            },
        ),
    )
    def get(self, request, pk):
        practitioner = require_practitioner(request)
        client = get_object_or_404(clients_for(practitioner), pk=pk)
        query = RowQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        row = query.validated_data
        book = cautions.rule_book(client, found_today=check_in.found_flags(row.get("found", [])))
        point = row.get("point")
        findings = []
        if point is not None:
            tool = row.get("tool") or point.default_tool
            findings = book.for_row(
                point=point, side=row["side"], tool=tool, pressure=row["pressure"]
            )
        return Response(
            {
                "point": point.code if point else None,
                "findings": [f.as_dict() for f in findings],
                "whole_client": [Finding(rule).as_dict() for rule in book.whole_client()],
                "suggested_max_seconds": book.suggested_max_seconds(),
            }
        )
