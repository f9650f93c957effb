from django.db.models import Prefetch
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


class PointSerializer(serializers.ModelSerializer):
    meridian = serializers.SlugRelatedField(slug_field="code", read_only=True)
    default_tool = serializers.SlugRelatedField(slug_field="slug", read_only=True)
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


class PointViewSet(viewsets.ReadOnlyModelViewSet):
    """The point catalogue, read-only. Filter by meridian code, region, condition slug,
    self-care, or `search` by code, pinyin, characters, English name or condition."""

    serializer_class = PointSerializer
    filterset_class = PointFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"

    def get_queryset(self):
        points = Point.objects.for_lists().prefetch_related(
            Prefetch("indications", Indication.objects.select_related("condition")),
            "point_cautions",
        )
        # Retired points stay readable by code (old sessions cite them) but leave lists.
        return points.active() if self.action == "list" else points

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class ConditionSerializer(serializers.ModelSerializer):
    points = serializers.SerializerMethodField()

    class Meta:
        model = Condition
        fields = ["slug", "name", "description", "body_area", "points"]

    def get_points(self, condition) -> list[dict]:
        return [
            {"code": i.point.code, "source_count": i.source_count}
            for i in condition.indications.all()
        ]


class ConditionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConditionSerializer
    lookup_field = "slug"
    search_fields = ["name", "slug"]

    def get_queryset(self):
        return Condition.objects.prefetch_related(
            Prefetch("indications", Indication.objects.select_related("point"))
        )


class PressureToolSerializer(serializers.ModelSerializer):
    class Meta:
        model = PressureTool
        fields = ["slug", "name", "how_to_use", "self_applicable"]


class PressureToolViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PressureToolSerializer
    queryset = PressureTool.objects.all()
    lookup_field = "slug"
