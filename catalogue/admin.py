"""Where the point catalogue is edited. Points are retired (is_active), never deleted."""

import io

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .csv_io import PictureFieldsMixin, import_points_csv, write_points_csv
from .figures import marked_figure, point_picture
from .health_flags import HealthFlag
from .models import (
    Caution,
    Condition,
    Figure,
    Indication,
    Meridian,
    Point,
    PressureTool,
    search_key,
)

IDENTITY_FIELDS = [
    "code",
    "meridian",
    "number",
    "pinyin",
    "hanzi",
    "hanzi_simplified",
    "english_name",
    "region",
]
PRACTICE_FIELDS = [
    "location",
    "self_care_instructions",
    "default_tool",
    "default_duration_seconds",
    "self_care",
    "cautions",
]
PICTURE_FIELDS = ["figure", "figure_x", "figure_y"]
PREVIEW_HINT = "x runs across the figure from the left, y down from the top, both in percent."


class IndicationInline(admin.TabularInline):
    model = Indication
    fields = ["condition", "source_count", "sources"]
    autocomplete_fields = ["condition"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("point", "condition")


class CautionInline(admin.TabularInline):
    model = Caution
    fields = ["flag", "note", "sources"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("point")


class CautionFlagFilter(admin.SimpleListFilter):
    title = "caution flag"
    parameter_name = "caution"

    def lookups(self, request, model_admin):
        return HealthFlag.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(point_cautions__flag=self.value())
        return queryset


class PointAdminForm(PictureFieldsMixin, forms.ModelForm):
    class Meta:
        model = Point
        fields = [*IDENTITY_FIELDS, *PRACTICE_FIELDS, *PICTURE_FIELDS, "is_active"]


class FigurePreviewForm(forms.Form):
    figure = forms.ChoiceField(choices=Figure.choices)
    x = forms.DecimalField(min_value=0, max_value=100)
    y = forms.DecimalField(min_value=0, max_value=100)


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, with the export's header row.",
        error_messages={"empty": "The file is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose a .csv file (save the spreadsheet as CSV UTF-8).")
        return upload


@admin.register(Point)
class PointAdmin(SimpleHistoryAdmin):
    form = PointAdminForm
    search_fields = ["code", "pinyin", "english_name", "hanzi", "hanzi_simplified"]
    list_display = [
        "code",
        "pinyin",
        "hanzi",
        "english_name",
        "meridian",
        "region",
        "self_care",
        "is_active",
        "picture",
    ]
    list_select_related = ["meridian", "default_tool"]
    list_filter = [
        "meridian",
        "region",
        "conditions",
        CautionFlagFilter,
        "self_care",
        "is_active",
        "figure",
    ]
    inlines = [IndicationInline, CautionInline]
    readonly_fields = ["preview"]
    fieldsets = [
        ("Identity", {"fields": IDENTITY_FIELDS}),
        ("Practice", {"fields": PRACTICE_FIELDS}),
        ("Picture", {"fields": [*PICTURE_FIELDS, "preview"]}),
        ("Status", {"fields": ["is_active"]}),
    ]
    actions = ["export_selected"]

    @admin.display(boolean=True, description="picture")
    def picture(self, point):
        return point.has_picture

    @admin.display(description="preview")
    def preview(self, point):
        picture = point_picture(point) or "No picture yet: choose a figure and give x and y."
        return format_html(
            '<div id="point-preview" style="max-width: 260px">{}</div><p><small>{}</small></p>',
            picture,
            PREVIEW_HINT,
        )

    def get_search_results(self, request, queryset, search_term):
        """Also match codes and pinyin written loosely: 'li 4', 'hégǔ'."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = search_key(search_term)
        if key:
            results |= queryset.filter(code_key=key) | queryset.filter(pinyin_key=key)
        return results, may_have_duplicates

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import": self.has_change_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Export selected points as CSV", permissions=["view"])
    def export_selected(self, request, queryset):
        return csv_response(queryset.select_related("default_tool"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("export/", wrap(self.export_view), name="catalogue_point_export"),
            path("import/", wrap(self.import_view), name="catalogue_point_import"),
            path("figure/", wrap(self.figure_view), name="catalogue_point_figure"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """Every point matching the changelist's current filters and search."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect("admin:catalogue_point_changelist")
        return csv_response(changelist.get_queryset(request))

    def import_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = CsvUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            result = import_points_csv(form.cleaned_data["file"])
            errors = result.errors
            if not errors:
                messages.success(
                    request,
                    f"Updated {len(result.updated)} points from the CSV file "
                    f"({result.unchanged} unchanged).",
                )
                return redirect("admin:catalogue_point_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import points from CSV",
            "form": form,
            "errors": errors,
            "export_url": reverse("admin:catalogue_point_export"),
        }
        return TemplateResponse(request, "admin/catalogue/point/import.html", context)

    def figure_view(self, request):
        """The SVG of a figure with a marker, for the live preview on the change page."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = FigurePreviewForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest("Give a figure, x and y (0 to 100).")
        data = form.cleaned_data
        svg = marked_figure(data["figure"], data["x"], data["y"], label="Preview")
        return HttpResponse(svg, content_type="image/svg+xml")


def csv_response(points):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="points.csv"'
    text = io.StringIO()
    write_points_csv(points, text)
    response.write(text.getvalue())
    return response


class ConditionIndicationInline(admin.TabularInline):
    model = Indication
    fields = ["point", "source_count", "sources"]
    autocomplete_fields = ["point"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("point", "condition")


@admin.register(Condition)
class ConditionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "body_area"]
    list_filter = ["body_area"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ConditionIndicationInline]


@admin.register(PressureTool)
class PressureToolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "self_applicable"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Meridian)
class MeridianAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "position"]
    search_fields = ["code", "name"]


@admin.register(Caution)
class CautionAdmin(admin.ModelAdmin):
    list_display = ["point", "flag", "note"]
    list_filter = ["flag"]
    list_select_related = ["point"]
    autocomplete_fields = ["point"]
    search_fields = ["point__code", "note"]
