"""`GET /api/v1/clients/{id}/cautions/`: the cautions for this client at a point, side, tool
and pressure (the session form asks as soon as a row's point is chosen, and again when the
check-in finds something today), and the cautions that hold for the client wherever one
presses. The rule engine is the catalogue's (catalogue/cautioning.py), as on the page."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.caution_rules import Action, Scope, Strength
from catalogue.cautioning import Finding
from catalogue.models import HealthFlag, Point, PressureLevel, PressureTool, WarningSign
from clinic.access import clients_for, require_practitioner

from . import cautions, check_in
from .models import Side


def check_in_codes() -> set[str]:
    """Every answer the check-in can find: its visit flags and the active warning signs."""
    flags = HealthFlag.objects.check_in().values_list("code", flat=True)
    signs = WarningSign.objects.active().values_list("key", flat=True)
    return {check_in.FLAG_PREFIX + c for c in flags} | {check_in.SIGN_PREFIX + k for k in signs}


class RowQuery(serializers.Serializer):
    """The query: a row as the form has it. A blank point or tool is as good as none."""

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
        data = {key: value for key, value in data.items() if value not in ("", None)}
        if "point" in data:
            data["point"] = str(data["point"]).strip().upper()
        return super().to_internal_value(data)

    def validate_found(self, found):
        if unknown := sorted(set(found) - check_in_codes()):
            raise serializers.ValidationError(f"Not a check-in question: {', '.join(unknown)}.")
        return found


class CautionFindingSerializer(serializers.Serializer):
    """A caution rule met by this row (or, in `whole_client`, by the client anywhere)."""

    label = serializers.CharField(
        help_text="The acknowledgement's label: what a session lists in acknowledged_cautions."
    )
    rule = serializers.CharField(help_text="The caution rule's key.")
    flag = serializers.CharField(help_text="The health flag's code.")
    flag_label = serializers.CharField()
    reason = serializers.CharField(
        help_text='Why the flag applies when it is not recorded on the client ("aged 8", '
        '"found at today\'s check-in"); empty when it is.'
    )
    scope = serializers.ChoiceField(choices=Scope.choices)
    target = serializers.CharField(
        help_text="Where or what the rule names: a point code, a region, a tool, a pressure, "
        '"whole body" or "at the recorded site".'
    )
    action = serializers.ChoiceField(choices=Action.choices)
    action_label = serializers.CharField()
    strength = serializers.ChoiceField(choices=Strength.choices)
    strength_label = serializers.CharField(
        help_text="The strength in words, saying so when it rests partly on general knowledge."
    )
    general_knowledge = serializers.BooleanField()
    practitioner_note = serializers.CharField()
    client_note = serializers.CharField()
    needs_acknowledgement = serializers.BooleanField(
        help_text="The row goes against the rule (an avoid, or more than light pressure where "
        "only light is safe): the session needs `label` acknowledged to be saved."
    )


class ClientCautionsSerializer(serializers.Serializer):
    point = serializers.CharField(allow_null=True, help_text="The point asked about, if any.")
    findings = CautionFindingSerializer(many=True, help_text="Strongest first.")
    whole_client = CautionFindingSerializer(
        many=True, help_text="The tool, pressure and whole-body rules for this client."
    )
    sites_missing = serializers.ListField(
        child=serializers.CharField(),
        help_text="Flags whose rules act at the site recorded on the client, with no site "
        "recorded: no point near it can be marked until it is.",
    )
    suggested_max_seconds = serializers.IntegerField(
        allow_null=True, help_text="The shortest suggested longest hold of the client's flags."
    )


class ClientCautionsView(APIView):
    @extend_schema(
        operation_id="client_cautions",
        parameters=[
            OpenApiParameter("point", OpenApiTypes.STR, description="A point code, e.g. SP6."),
            OpenApiParameter("side", OpenApiTypes.STR, enum=Side.values, default=Side.BOTH),
            OpenApiParameter(
                "tool",
                OpenApiTypes.STR,
                description="A tool slug; the point's default if left out.",
            ),
            OpenApiParameter(
                "pressure",
                OpenApiTypes.STR,
                enum=PressureLevel.values,
                default=PressureLevel.MODERATE,
            ),
            OpenApiParameter(
                "found",
                OpenApiTypes.STR,
                many=True,
                description='Check-in answers found today: "flag:<code>" or "sign:<key>".',
            ),
        ],
        responses=ClientCautionsSerializer,
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

        def shown(finding):
            reason = book.profile.reasons.get(finding.rule.flag.code, "")
            return {**finding.as_dict(), "reason": reason, "target": finding.rule.target_label}

        answer = {
            "point": point.code if point else None,
            "findings": [shown(f) for f in findings],
            "whole_client": [shown(Finding(rule)) for rule in book.whole_client()],
            "sites_missing": [flag.code for flag in book.sites_missing()],
            "suggested_max_seconds": book.suggested_max_seconds(),
        }
        return Response(ClientCautionsSerializer(answer).data)
