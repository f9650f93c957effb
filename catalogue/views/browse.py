from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from ..caution_rules import CautionRule
from ..filters import PointFilter
from ..models import Condition, Indication, Point


class PointListView(ListView):
    """Search and browse. The search box sends `q`."""

    template_name = "catalogue/point_list.html"
    context_object_name = "points"
    paginate_by = 30

    def get_queryset(self):
        data = self.request.GET.copy()
        data["search"] = data.get("q", "")
        self.filterset = PointFilter(data, queryset=Point.objects.active().for_lists())
        if not self.filterset.is_valid():
            return Point.objects.none()
        return self.filterset.qs.distinct() if data.get("condition") else self.filterset.qs

    def get_context_data(self, **kwargs):
        for name in ("meridian", "region", "condition"):
            widget = self.filterset.form.fields[name].widget
            widget.attrs.update({"class": "form-select", "aria-label": name.capitalize()})
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            filterset=self.filterset,
            query=self.request.GET.get("q", ""),
            conditions=Condition.objects.all(),
            page_params=params.urlencode(),
            **kwargs,
        )


class PointDetailView(DetailView):
    template_name = "catalogue/point_detail.html"
    context_object_name = "point"

    def get_object(self, queryset=None):
        points = Point.objects.for_lists().prefetch_related(
            Prefetch("indications", Indication.objects.select_related("condition")),
        )
        return get_object_or_404(points, code__iexact=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(cautions=rules_at(self.object), **kwargs)


class ConditionDetailView(DetailView):
    template_name = "catalogue/condition_detail.html"
    context_object_name = "condition"
    slug_url_kwarg = "slug"

    def get_queryset(self):
        return Condition.objects.all()

    def get_context_data(self, **kwargs):
        indications = (
            self.object.indications.filter(point__is_active=True)
            .select_related("point__meridian", "point__default_tool")
            .order_by("-source_count", "point__meridian__position", "point__number")
        )
        return super().get_context_data(indications=indications, **kwargs)


def rules_at(point) -> list[CautionRule]:
    """The caution rules that name this point or its region, for any client."""
    rules = CautionRule.objects.naming_points().order_by("flag__position", "scope", "key")
    return [
        rule for rule in rules.filter(Q(point=point) | Q(region=point.region)) if rule.names(point)
    ]
