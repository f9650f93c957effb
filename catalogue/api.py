from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from .caution_rules import CautionRule, WarningSign
from .filters import CautionRuleFilter, PointFilter, WarningSignFilter
from .health_flags import HealthFlag
from .models import Condition, Indication, Point, PressureTool


class SourceSerializer(serializers.Serializer):
    key = serializers.CharField()
    citation = serializers.CharField()
    kind = serializers.CharField()


class IndicationSerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(source="condition.slug")
    name = serializers.CharField(source="condition.name")
    sources = SourceSerializer(source="cited_by", many=True, read_only=True)

    class Meta:
        model = Indication
        fields = ["slug", "name", "source_count", "sources"]


class MarkerSerializer(serializers.Serializer):
    x = serializers.FloatField(help_text="Percent across the view.")
    y = serializers.FloatField(help_text="Percent down the view.")


class PictureSerializer(serializers.Serializer):
    figure = serializers.CharField(help_text="The body view (catalogue/figures/<view>.svg).")
    title = serializers.CharField()
    x = serializers.FloatField(help_text="The stored place, in percent across the view.")
    y = serializers.FloatField(help_text="In percent down the view.")
    markers = MarkerSerializer(
        many=True, help_text="Every marker drawn: both sides for a bilateral point."
    )


class CautionRuleSerializer(serializers.ModelSerializer):
    flag = serializers.SlugRelatedField(slug_field="code", read_only=True)
    point = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    tool = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    general_knowledge = serializers.BooleanField(read_only=True)

    class Meta:
        model = CautionRule
        fields = [
            "key",
            "flag",
            "scope",
            "point",
            "region",
            "tool",
            "pressure",
            "same_side_only",
            "action",
            "strength",
            "general_knowledge",
            "sources",
            "practitioner_note",
            "client_note",
            "is_active",
        ]


INCLUDE_RETIRED = OpenApiParameter(
    "include_retired",
    OpenApiTypes.BOOL,
    description="1 (or true) to list the retired ones too; each says so in `is_active`.",
)


@extend_schema_view(list=extend_schema(parameters=[INCLUDE_RETIRED]))
class RetiredLeaveListsViewSet(viewsets.ReadOnlyModelViewSet):
    """Retired ones stay readable by their key, since old records cite them, but leave the
    list unless it is asked for with `?include_retired=1`."""

    def retired_left_out(self, queryset):
        asked = self.request.query_params.get("include_retired", "").lower() in ("1", "true")
        if self.action == "list" and not asked:
            return queryset.active()
        return queryset


class PointSerializer(serializers.ModelSerializer):
    meridian = serializers.SlugRelatedField(slug_field="code", read_only=True)
    default_tool = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    caution_flags = serializers.SerializerMethodField(
        help_text="The health flags with a caution rule at this point or its region."
    )
    cautions = serializers.SerializerMethodField(
        help_text="The caution rules that name this point or its region."
    )
    caution_text = serializers.CharField(source="cautions", read_only=True)
    conditions = IndicationSerializer(source="indications", many=True, read_only=True)
    picture = serializers.SerializerMethodField()
    bilateral = serializers.BooleanField(read_only=True)

    class Meta:
        model = Point
        fields = [
            "code",
            "meridian",
            "number",
            "pinyin",
            "hanzi",
            "hanzi_simplified",
            "english_name",
            "region",
            "location",
            "self_care_instructions",
            "default_tool",
            "default_duration_seconds",
            "duration_note",
            "self_care",
            "self_care_with",
            "not_self_care_reason",
            "bilateral",
            "caution_flags",
            "cautions",
            "caution_text",
            "conditions",
            "picture",
            "is_active",
        ]

    def rules_at(self, point) -> list[CautionRule]:
        if "rules" not in self.context:  # read once for a whole list
            self.context["rules"] = list(CautionRule.objects.naming_points())
        return [rule for rule in self.context["rules"] if rule.names(point)]

    def get_caution_flags(self, point) -> list[str]:
        return sorted({rule.flag.code for rule in self.rules_at(point)})

    @extend_schema_field(CautionRuleSerializer(many=True))
    def get_cautions(self, point) -> list[dict]:
        return CautionRuleSerializer(self.rules_at(point), many=True).data

    @extend_schema_field(PictureSerializer(allow_null=True))
    def get_picture(self, point) -> dict | None:
        if not point.has_picture or point.body_view is None:
            return None
        return {
            "figure": point.figure,
            "title": point.body_view.title,
            "x": float(point.figure_x),
            "y": float(point.figure_y),
            "markers": [{"x": x, "y": y} for x, y in point.marker_places()],
        }


class PointViewSet(RetiredLeaveListsViewSet):
    """The point catalogue, read-only. Filter by meridian code, region, condition slug,
    self-care, or `search` by code, pinyin, characters, English name or condition. A retired
    point stays readable by its code but is listed only with `?include_retired=1`."""

    serializer_class = PointSerializer
    filterset_class = PointFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"

    def get_queryset(self):
        points = Point.objects.for_lists().prefetch_related(
            Prefetch("indications", Indication.objects.select_related("condition")),
        )
        return self.retired_left_out(points)

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class ConditionSerializer(serializers.ModelSerializer):
    points = serializers.SerializerMethodField()

    class Meta:
        model = Condition
        fields = ["slug", "name", "description", "body_area", "is_active", "points"]

    def get_points(self, condition) -> list[dict]:
        return [
            {"code": i.point.code, "source_count": i.source_count}
            for i in condition.indications.all()
        ]


class ConditionViewSet(RetiredLeaveListsViewSet):
    """The conditions sessions are recorded for. A retired condition stays readable by its
    slug (old sessions cite it) but is listed only with `?include_retired=1`."""

    serializer_class = ConditionSerializer
    lookup_field = "slug"
    search_fields = ["name", "slug"]

    def get_queryset(self):
        return self.retired_left_out(
            Condition.objects.prefetch_related(
                Prefetch("indications", Indication.objects.select_related("point"))
            )
        )


class PressureToolSerializer(serializers.ModelSerializer):
    class Meta:
        model = PressureTool
        fields = ["slug", "name", "how_to_use", "self_applicable", "is_active"]


class PressureToolViewSet(RetiredLeaveListsViewSet):
    """The pressure tools. A retired tool stays readable by its slug (old sessions and
    sheets cite it) but is listed only with `?include_retired=1`."""

    serializer_class = PressureToolSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return self.retired_left_out(PressureTool.objects.all())


class HealthFlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = HealthFlag
        fields = [
            "code",
            "label",
            "kind",
            "has_site",
            "under_age",
            "from_age",
            "suggested_max_seconds",
            "check_in_question",
            "description",
            "is_active",
        ]


class HealthFlagViewSet(RetiredLeaveListsViewSet):
    """The health flags: what about a client (recorded on them), their age or their day
    (asked at the check-in) calls for care. A retired flag stays readable by its code but
    is listed only with `?include_retired=1`."""

    serializer_class = HealthFlagSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9_-]+"
    filterset_fields = ["kind"]

    def get_queryset(self):
        return self.retired_left_out(HealthFlag.objects.all())


class CautionRuleViewSet(RetiredLeaveListsViewSet):
    """The caution rules: for a health flag, where care is needed (a point, a region, a
    tool, a pressure, the whole body or the flag's recorded site), what care, and how
    strong the sources are. Filter by flag code, scope or action. A retired rule, or one of
    a retired flag, stays readable by its key but is listed only with `?include_retired=1`."""

    serializer_class = CautionRuleSerializer
    filterset_class = CautionRuleFilter
    lookup_field = "key"
    lookup_value_regex = "[A-Za-z0-9_-]+"

    def get_queryset(self):
        rules = CautionRule.objects.select_related("flag", "point", "tool")
        return self.retired_left_out(rules)


class WarningSignSerializer(serializers.ModelSerializer):
    conditions = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    for_flags = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Health flag codes: the sign is only for clients with one of them. Empty: "
        "for every client.",
    )

    class Meta:
        model = WarningSign
        fields = [
            "key",
            "sign",
            "client_wording",
            "urgency",
            "conditions",
            "any_condition",
            "for_flags",
            "sources",
            "is_active",
        ]


class WarningSignViewSet(RetiredLeaveListsViewSet):
    """The warning signs: symptoms that mean "see a doctor", with how soon, for the
    complaints they go with. Filter by condition slug (its signs and those for any
    complaint, as the check-in asks them) or urgency. A retired sign stays readable by its
    key but is listed only with `?include_retired=1`."""

    serializer_class = WarningSignSerializer
    filterset_class = WarningSignFilter
    lookup_field = "key"
    lookup_value_regex = "[A-Za-z0-9_-]+"

    def get_queryset(self):
        signs = WarningSign.objects.prefetch_related(
            Prefetch("conditions", Condition.objects.order_by("slug")),
            Prefetch("for_flags", HealthFlag.objects.order_by("code")),
        )
        return self.retired_left_out(signs)
