"""Referral letters in the admin: to look at, with their history. Letters are made and
issued through the practitioner pages only, never edited or deleted here."""

from django.contrib import admin

from clinic.admin_readonly import ReadOnlyAdmin

from .models import ReferralLetter


@admin.register(ReferralLetter)
class ReferralLetterAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "client", "created_by", "issued_at"]
    list_filter = ["client__clinic", ("issued_at", admin.EmptyFieldListFilter)]
    list_select_related = ["client", "created_by"]
    search_fields = ["client__first_name", "client__last_name"]
    exclude = ["pdf"]
