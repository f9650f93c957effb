"""Home-care sheets in the admin: to look at, with their history. Sheets are written
through the practitioner pages and API only, never edited here."""

from django.contrib import admin

from clinic.admin_readonly import ReadOnlyAdmin, ReadOnlyInline

from .models import HomeCareItem, HomeCareSheet


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
