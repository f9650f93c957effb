from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .filters import PointFilter
from .models import Caution, Condition, Indication, Point, PressureTool


class IndicationSerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(source="condition.slug")
    name = serializers.CharField(source="condition.name")

    class Meta:
        model = Indication
        fields = ["slug", "name", "source_count"]


class CautionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Caution
        fields = ["flag", "note"]


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
    caution_flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    cautions = CautionSerializer(source="point_cautions", many=True, read_only=True)
    caution_text = serializers.CharField(source="cautions", read_only=True)
    conditions = IndicationSerializer(source="indications", many=True, read_only=True)
    picture = serializers.SerializerMethodField()

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
            "self_care",
            "caution_flags",
            "cautions",
            "caution_text",
            "conditions",
            "picture",
            "is_active",
        ]

    def get_picture(self, point) -> dict | None:
        if not point.has_picture:
            return None
        return {"figure": point.figure, "x": float(point.figure_x), "y": float(point.figure_y)}


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
            "point_cautions",
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
