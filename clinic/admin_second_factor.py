"""The second factor in the admin: who has an authenticator app, and removing one for a
user who lost their phone and their recovery codes (they set up a new one at their next
login). django-otp's own admins are replaced: they show the secret keys and the codes."""

from django.contrib import admin
from django_otp.plugins.otp_static import admin as static_admin
from django_otp.plugins.otp_totp import admin as totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import second_factor

admin.site.unregister(totp_admin.TOTPDevice)
admin.site.unregister(static_admin.StaticDevice)


@admin.register(TOTPDevice)
class SecondFactorAdmin(admin.ModelAdmin):
    """Shown and removed, never added or edited here: only its owner sets one up."""

    list_display = ["user", "name", "created_at", "last_used_at", "throttling_failure_count"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "name", "created_at", "last_used_at", "throttling_failure_count"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(confirmed=True)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        second_factor.remove(request=request, user=obj.user, by_admin=True)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            self.delete_model(request, device)
