"""Admin classes for clinical records: the superuser's only, shown with their history, and
sessions and sheets never added, changed or deleted here (they are written through the
practitioner pages and API)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Health records: a staff user sees none of it, whatever permissions they hold (a
    catalogue editor, say, given a client permission by mistake); the superuser as the
    rest of the admin allows."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class NeverWrittenAdmin(SuperuserOnlyAdmin):
    """Shown to the superuser; never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NeverWrittenAdmin, SimpleHistoryAdmin):
    """A clinical record with its history, to look at."""


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
