"""Where the point catalogue is edited. Points, conditions and tools are retired
(is_active), never deleted: clinical records cite them."""

import io

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .body_views import is_bilateral, marker_places, view_choices
from .caution_rules import CautionRule, Scope, WarningSign
from .csv_io import PictureFieldsMixin, import_points_csv, write_points_csv
from .figures import marked_figure, point_picture
from .health_flags import HealthFlag
from .models import (
    Condition,
    Indication,
    Meridian,
    Point,
    PressureTool,
    search_key,
)
from .search import search_points

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
    "duration_note",
    "self_care",
    "self_care_with",
    "not_self_care_reason",
    "cautions",
]
PICTURE_FIELDS = ["figure", "figure_x", "figure_y"]
PREVIEW_HINT = "x runs across the figure from the left, y down from the top, both in percent."
RETIRE_NOTE = (
    "Sessions and home-care sheets cite these, so they are never deleted. Retire one instead "
    "(untick active, or the “Retire selected” action on the list): it stays on the records "
    "that have it but is no longer offered for new ones. “Bring back selected” undoes it."
)


def default_tool_refusal(tool) -> str | None:
    """Why a tool cannot be retired yet: active points still name it as their default, so
    new records would keep getting it."""
    codes = list(Point.objects.active().filter(default_tool=tool).values_list("code", flat=True))
    if not codes:
        return None
    named = ", ".join(codes[:5]) + (f" and {len(codes) - 5} more" if len(codes) > 5 else "")
    return f"{tool} is the default tool of {named}: give them another default before retiring it."


class RetiringAdmin(SimpleHistoryAdmin):
    """For what clinical records cite: no delete; retire and bring back instead, each one
    saved on its own so that its history says who did it and when."""

    retire_actions = ["retire_selected", "bring_back_selected"]

    def has_delete_permission(self, request, obj=None):
        return False

    def retire_refusal(self, obj) -> str | None:
        """Why `obj` cannot be retired now, if it cannot."""
        return None

    @admin.action(description="Retire selected %(verbose_name_plural)s", permissions=["change"])
    def retire_selected(self, request, queryset):
        self.set_active(request, queryset, active=False)

    @admin.action(description="Bring back selected %(verbose_name_plural)s", permissions=["change"])
    def bring_back_selected(self, request, queryset):
        self.set_active(request, queryset, active=True)

    def set_active(self, request, queryset, *, active):
        verb = "Brought back" if active else "Retired"
        done, refused = 0, False
        for obj in queryset.filter(is_active=not active):
            refusal = None if active else self.retire_refusal(obj)
            if refusal:
                messages.error(request, refusal)
                refused = True
                continue
            obj.is_active = active
            obj._change_reason = verb  # in its history, with who and when
            obj.save(update_fields=["is_active"])
            done += 1
        if done or not refused:
            messages.success(request, f"{verb} {done} {model_ngettext(self.opts, done)}.")


class IndicationInline(admin.TabularInline):
    model = Indication
    fields = ["condition", "source_count", "sources"]
    autocomplete_fields = ["condition"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("point", "condition")


class PointCautionInline(admin.TabularInline):
    """The rules that name this point (the other scopes are edited under Caution rules)."""

    model = CautionRule
    fk_name = "point"
    fields = [
        "key",
        "flag",
        "action",
        "strength",
        "practitioner_note",
        "client_note",
        "sources",
        "is_active",
    ]
    extra = 0
    verbose_name = "caution rule for this point"
    verbose_name_plural = "caution rules for this point"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("flag", "point", "tool")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["flag"].queryset = HealthFlag.objects.all()
        return formset

    def has_delete_permission(self, request, obj=None):
        return False


class PointScopedRule(forms.ModelForm):
    def save(self, commit=True):
        self.instance.scope = Scope.POINT
        return super().save(commit)


PointCautionInline.form = PointScopedRule


class CautionFlagFilter(admin.SimpleListFilter):
    title = "caution flag"
    parameter_name = "caution"

    def lookups(self, request, model_admin):
        return HealthFlag.objects.values_list("code", "label")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(caution_rules__flag__code=self.value()).distinct()
        return queryset


class PointAdminForm(PictureFieldsMixin, forms.ModelForm):
    class Meta:
        model = Point
        fields = [*IDENTITY_FIELDS, *PRACTICE_FIELDS, *PICTURE_FIELDS, "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tools = self.fields["default_tool"]  # a retired tool can stay, not be chosen anew
        tools.queryset = tools.queryset.filter(
            Q(is_active=True) | Q(pk=self.instance.default_tool_id)
        )


class FigurePreviewForm(forms.Form):
    figure = forms.ChoiceField(choices=view_choices)
    code = forms.CharField(required=False, help_text="Bilateral points get two markers.")
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
class PointAdmin(RetiringAdmin):
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
    inlines = [IndicationInline, PointCautionInline]
    readonly_fields = ["preview"]
    fieldsets = [
        ("Identity", {"fields": IDENTITY_FIELDS}),
        ("Practice", {"fields": PRACTICE_FIELDS}),
        ("Picture", {"fields": [*PICTURE_FIELDS, "preview"]}),
        ("Status", {"fields": ["is_active"], "description": RETIRE_NOTE}),
    ]
    actions = ["export_selected", *RetiringAdmin.retire_actions]

    @admin.display(boolean=True, description="picture")
    def picture(self, point):
        return point.has_picture

    @admin.display(description="preview")
    def preview(self, point):
        picture = point_picture(point) or "No picture yet: choose a figure and give x and y."
        return format_html(
            '<div id="point-preview">{}</div><p><small>{}</small></p>',
            picture,
            PREVIEW_HINT,
        )

    def get_search_results(self, request, queryset, search_term):
        """Also match codes and pinyin written loosely: 'li 4', 'hégǔ'."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = search_key(search_term)
        if key:
            # The catalogue's own search: other notations, misspelt names, conditions.
            found = search_points(queryset, search_term).values("pk")
            results |= queryset.filter(pk__in=found)
        return results, may_have_duplicates

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
        places = marker_places(
            data["x"], data["y"], bilateral=bool(data["code"]) and is_bilateral(data["code"])
        )
        svg = marked_figure(data["figure"], places, label="Preview")
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
class ConditionAdmin(RetiringAdmin):
    list_display = ["name", "slug", "body_area", "is_active"]
    list_filter = ["body_area", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "body_area"]}),
        ("Status", {"fields": ["is_active"], "description": RETIRE_NOTE}),
    ]
    inlines = [ConditionIndicationInline]
    actions = RetiringAdmin.retire_actions


class PressureToolAdminForm(forms.ModelForm):
    class Meta:
        model = PressureTool
        fields = ["name", "slug", "how_to_use", "self_applicable", "position", "is_active"]

    def clean_is_active(self):
        active = self.cleaned_data["is_active"]
        retiring = self.instance.pk and self.instance.is_active and not active
        if retiring and (refusal := default_tool_refusal(self.instance)):
            raise forms.ValidationError(refusal)
        return active


@admin.register(PressureTool)
class PressureToolAdmin(RetiringAdmin):
    form = PressureToolAdminForm
    list_display = ["name", "slug", "self_applicable", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "how_to_use", "self_applicable", "position"]}),
        ("Status", {"fields": ["is_active"], "description": RETIRE_NOTE}),
    ]
    actions = RetiringAdmin.retire_actions

    def retire_refusal(self, tool):
        return default_tool_refusal(tool)


@admin.register(Meridian)
class MeridianAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "position"]
    search_fields = ["code", "name"]


@admin.register(HealthFlag)
class HealthFlagAdmin(RetiringAdmin):
    list_display = ["label", "code", "kind", "has_site", "is_active"]
    list_filter = ["kind", "has_site", "is_active"]
    search_fields = ["code", "label"]
    readonly_fields = ["shipped_fingerprint"]
    actions = RetiringAdmin.retire_actions


@admin.register(CautionRule)
class CautionRuleAdmin(RetiringAdmin):
    list_display = ["key", "flag", "scope", "target", "action", "strength", "is_active"]
    list_filter = ["flag", "scope", "action", "strength", "is_active"]
    list_select_related = ["flag", "point", "tool"]
    autocomplete_fields = ["point"]
    search_fields = ["key", "practitioner_note", "client_note", "point__code"]
    readonly_fields = ["shipped_fingerprint"]
    fieldsets = [
        (None, {"fields": ["key", "flag", "action", "strength", "sources"]}),
        (
            "Where it applies",
            {
                "fields": ["scope", "point", "region", "tool", "pressure", "same_side_only"],
                "description": "Fill in only the target of the scope: a point, a region, a "
                "tool or a pressure; the whole body and the flag's site need none.",
            },
        ),
        ("Notes", {"fields": ["practitioner_note", "client_note"]}),
        ("Status", {"fields": ["is_active", "shipped_fingerprint"]}),
    ]
    actions = RetiringAdmin.retire_actions

    @admin.display(description="target")
    def target(self, rule):
        return rule.target_label


@admin.register(WarningSign)
class WarningSignAdmin(RetiringAdmin):
    list_display = ["sign", "urgency", "any_condition", "is_active"]
    list_filter = ["urgency", "any_condition", "conditions", "for_flags", "is_active"]
    search_fields = ["key", "sign", "client_wording"]
    filter_horizontal = ["conditions", "for_flags"]
    readonly_fields = ["shipped_fingerprint"]
    actions = RetiringAdmin.retire_actions
