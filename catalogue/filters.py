import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .caution_rules import Action, CautionRule, Scope, Urgency, WarningSign
from .health_flags import HealthFlag
from .models import BodyRegion, Condition, Meridian, Point
from .search import search_points


class PointFilter(django_filters.FilterSet):
    """Used by the browse page and the API alike."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    meridian = django_filters.ModelChoiceFilter(
        queryset=Meridian.objects.all(), to_field_name="code", empty_label="Any meridian"
    )
    region = django_filters.ChoiceFilter(choices=BodyRegion.choices, empty_label="Any region")
    condition = django_filters.ModelChoiceFilter(
        field_name="conditions",
        queryset=Condition.objects.all(),
        to_field_name="slug",
        empty_label="Any condition",
    )
    self_care = django_filters.BooleanFilter(label="Suitable for self-care")

    class Meta:
        model = Point
        fields = ["search", "meridian", "region", "condition", "self_care"]

    def filter_search(self, points, name, value):
        return search_points(points, value)


class CautionRuleFilter(django_filters.FilterSet):
    flag = django_filters.ModelChoiceFilter(
        queryset=HealthFlag.objects.all(), to_field_name="code", label="Health flag code"
    )
    scope = django_filters.ChoiceFilter(choices=Scope.choices)
    action = django_filters.ChoiceFilter(choices=Action.choices)

    class Meta:
        model = CautionRule
        fields = ["flag", "scope", "action"]


class WarningSignFilter(django_filters.FilterSet):
    condition = django_filters.ModelChoiceFilter(
        queryset=Condition.objects.all(),
        to_field_name="slug",
        method="filter_condition",
        label="Condition slug: its signs and the signs for any complaint",
    )
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices)

    class Meta:
        model = WarningSign
        fields = ["condition", "urgency"]

    @extend_schema_field(OpenApiTypes.STR)  # a slug
    def filter_condition(self, signs, name, condition):
        return signs.filter(pk__in=WarningSign.objects.for_conditions([condition]).values("pk"))
