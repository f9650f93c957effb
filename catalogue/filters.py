import django_filters

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
