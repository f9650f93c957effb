"""API tokens in the admin, for the superuser only: listed and revoked (deleted, and written to
the access log), never added, edited or shown with their hash; a token is made by logging in
at the token endpoint."""

from django.contrib import admin

from . import api_tokens
from .api_tokens import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["device", "user", "created_at", "last_used_at", "expires_at"]
    list_select_related = ["user"]
    list_filter = [("expires_at", admin.DateFieldListFilter)]
    search_fields = ["device", "user__username", "user__email"]
    fields = ["user", "device", "created_at", "last_used_at", "expires_at"]
    date_hierarchy = "created_at"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        api_tokens.revoke(token=obj, request=request)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            api_tokens.revoke(token=token, request=request)
