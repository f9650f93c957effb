"""Sessions in the admin: to look at, with their history. Clinical
records are written through the practitioner pages and API only, never edited here."""

from django.contrib import admin

from clinic.admin_readonly import ReadOnlyAdmin, ReadOnlyInline

from .models import Amendment, TreatedPoint, TreatmentSession


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
