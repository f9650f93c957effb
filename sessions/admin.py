"""Sessions in the admin: to look at, with their history. Clinical
records are written through the practitioner pages and API only, never edited here."""

from django.contrib import admin

from clinic.admin_readonly import ReadOnlyAdmin, ReadOnlyInline

from .models import Amendment, SessionCondition, TreatedPoint, TreatmentSession


class TreatedPointInline(ReadOnlyInline):
    model = TreatedPoint
    fields = ["point", "side", "tool", "duration_seconds", "pressure", "response"]


class ConditionHistoryInline(ReadOnlyInline):
    """Each condition added to or removed from the session, by whom and when."""

    model = SessionCondition.history.model
    fk_name = "session"
    fields = ["history_date", "change", "condition", "history_user"]
    readonly_fields = ["change"]
    verbose_name = "condition added or removed"
    verbose_name_plural = "condition history"

    @admin.display(description="change")
    def change(self, record):
        return {"+": "added", "-": "removed"}.get(record.history_type, "changed")

    def get_queryset(self, request):
        records = super().get_queryset(request).select_related("condition", "history_user")
        return records.order_by("history_date", "history_id")


class AmendmentInline(ReadOnlyInline):
    model = Amendment
    fields = ["amended_at", "amended_by", "amended_as", "reason", "changes"]
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
    inlines = [TreatedPointInline, ConditionHistoryInline, AmendmentInline]
