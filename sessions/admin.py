"""Sessions and home-care sheets in the admin: to look at, with their history. Clinical
records are written through the practitioner pages and API only, never edited here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Amendment, HomeCareItem, HomeCareSheet, TreatedPoint, TreatmentSession


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TreatedPointInline(ReadOnlyInline):
    model = TreatedPoint
    fields = ["point", "side", "tool", "duration_seconds", "pressure", "response"]


class AmendmentInline(ReadOnlyInline):
    model = Amendment
    fields = ["amended_at", "amended_by", "reason", "changes"]
    readonly_fields = ["amended_at"]


@admin.register(TreatmentSession)
class TreatmentSessionAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at",
        "client",
        "practitioner",
        "pain_before",
        "pain_after",
        "outcome",
        "signed_at",
    ]
    list_filter = ["client__clinic", "outcome", ("signed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["client", "practitioner"]
    search_fields = ["client__first_name", "client__last_name", "complaint"]
    date_hierarchy = "started_at"
    inlines = [TreatedPointInline, AmendmentInline]


class HomeCareItemInline(ReadOnlyInline):
    model = HomeCareItem
    fields = ["position", "point", "tool", "duration_seconds", "times_per_day", "side"]


@admin.register(HomeCareSheet)
class HomeCareSheetAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "client", "created_by", "version", "issued_at"]
    list_filter = ["client__clinic", ("issued_at", admin.EmptyFieldListFilter)]
    list_select_related = ["client", "created_by"]
    search_fields = ["client__first_name", "client__last_name"]
    exclude = ["pdf"]
    inlines = [HomeCareItemInline]
