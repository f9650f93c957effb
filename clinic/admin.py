from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

# django-otp's admins replaced, and the API tokens' (listed and revoked).
from . import admin_second_factor, admin_tokens  # noqa: F401
from .admin_readonly import SuperuserOnlyAdmin
from .models import AccessEvent, Client, Clinic, Practitioner
from .revisions import RevisionCheckedForm


class ClinicForm(RevisionCheckedForm):
    revision_noun = "clinic"

    class Meta:
        model = Clinic
        fields = ["name", "address", "phone", "email", "time_zone", "requires_second_factor"]


class PractitionerForm(RevisionCheckedForm):
    revision_noun = "practitioner profile"

    class Meta:
        model = Practitioner
        fields = [
            "user",
            "clinic",
            "display_name",
            "qualification",
            "registration_number",
            "role",
        ]


@admin.register(Clinic)
class ClinicAdmin(SimpleHistoryAdmin):
    form = ClinicForm
    fields = [*ClinicForm.Meta.fields, "revision_seen"]
    list_display = ["name", "phone", "email", "time_zone"]
    search_fields = ["name", "email"]


class PractitionerInline(admin.StackedInline):
    model = Practitioner
    form = PractitionerForm
    can_delete = False
    fk_name = "user"
    extra = 0
    max_num = 1
    fields = [
        "clinic",
        "display_name",
        "qualification",
        "registration_number",
        "role",
        "is_active",
        "revision_seen",
    ]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PractitionerUserAdmin(UserAdmin):
    """A user and their practitioner profile on one page."""

    inlines = [PractitionerInline]
    list_display = ["username", "email", "practitioner_clinic", "is_staff", "is_active"]
    list_select_related = ["practitioner__clinic"]
    list_filter = UserAdmin.list_filter + ("practitioner__clinic",)

    @admin.display(description="clinic", ordering="practitioner__clinic__name")
    def practitioner_clinic(self, user):
        practitioner = getattr(user, "practitioner", None)
        return practitioner.clinic if practitioner else "—"


@admin.register(Practitioner)
class PractitionerAdmin(SimpleHistoryAdmin):
    form = PractitionerForm
    fields = [*PractitionerForm.Meta.fields, "is_active", "revision_seen"]
    list_display = ["display_name", "clinic", "qualification", "registration_number", "is_active"]
    list_filter = ["clinic", "is_active"]
    list_select_related = ["clinic", "user"]
    search_fields = ["display_name", "user__username", "registration_number"]
    autocomplete_fields = ["user"]


class ClientAdminForm(RevisionCheckedForm):
    revision_noun = "client"

    class Meta:
        model = Client
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        clinic = cleaned.get("clinic") or getattr(self.instance, "clinic", None)
        practitioner = cleaned.get("primary_practitioner")
        if practitioner and clinic and practitioner.clinic_id != clinic.pk:
            self.add_error("primary_practitioner", f"Choose a practitioner of {clinic}.")
        return cleaned


@admin.register(Client)
class ClientAdmin(SuperuserOnlyAdmin, SimpleHistoryAdmin):
    """The superuser's only: staff, whatever their permissions, never see client records."""

    form = ClientAdminForm
    list_display = ["last_name", "first_name", "clinic", "phone", "email", "archived_at"]
    list_filter = ["clinic", ("archived_at", admin.EmptyFieldListFilter)]
    list_select_related = ["clinic"]
    search_fields = ["first_name", "last_name", "preferred_name", "email", "phone"]
    readonly_fields = ["created_at", "updated_at", "consent_given_at", "consent_recorded_by"]
    autocomplete_fields = ["primary_practitioner"]

    def get_readonly_fields(self, request, obj=None):
        # A client's sessions, sheets and letters carry the clinic they were recorded in and
        # are read through it: moving the client alone would leave them with the old clinic.
        if obj is not None:
            return [*self.readonly_fields, "clinic"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """The access log, read only: nothing in the admin adds, changes or deletes an entry."""

    list_display = ["at", "username", "action", "clinic", "client", "record_type", "ip_address"]
    list_filter = ["action", "record_type", "clinic"]
    list_select_related = ["clinic", "client"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
