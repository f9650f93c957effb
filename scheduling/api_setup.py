"""The diary's setup in the API: the clinic's appointment types and rooms (every practitioner
reads them; clinic managers add and change them, and retire one by setting is_active false:
appointments cite them, so none is deleted), and each practitioner's working hours.

Working hours are not a clinical record: a stretch is added, changed and deleted here, its
history kept (simple_history records the deletion too). A practitioner sets their own; a
clinic manager anyone's in the clinic. Every practitioner of the clinic reads them all, to
book for a colleague."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS

from clinic.access import IsClinicManager
from clinic.access import require_practitioner as requester
from clinic.idempotency import IdempotentCreateMixin

from . import hours
from .api import ClinicScoped, in_clinic, practitioners_for_request
from .models import AppointmentType, Room, WorkingHours


class ClinicListSerializer(serializers.ModelSerializer):
    """A clinic's named thing (a type, a room): its name once per clinic."""

    def validate_name(self, name):
        clinic_id = requester(self.context["request"]).clinic_id
        same = self.Meta.model.objects.for_clinic(clinic_id).filter(name__iexact=name.strip())
        if self.instance is not None:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise serializers.ValidationError(f"The clinic has a “{name.strip()}” already.")
        return name.strip()

    def create(self, validated_data):
        clinic_id = requester(self.context["request"]).clinic_id
        return super().create({**validated_data, "clinic_id": clinic_id})


class AppointmentTypeSerializer(ClinicListSerializer):
    is_active = serializers.BooleanField(
        required=False, help_text="Offered for new bookings; false retires it."
    )

    class Meta:
        model = AppointmentType
        fields = ["id", "name", "minutes", "is_active"]


class RoomSerializer(ClinicListSerializer):
    is_active = serializers.BooleanField(
        required=False, help_text="In use for new bookings; false retires it."
    )

    class Meta:
        model = Room
        fields = ["id", "name", "is_active"]


class ManagersWrite:
    """Read by every practitioner of the clinic; written by its managers only."""

    def get_permissions(self):
        permissions = super().get_permissions()
        if self.action in ("create", "update", "partial_update"):  # the others answer 405
            permissions.append(IsClinicManager())
        return permissions


class ClinicListViewSet(
    IdempotentCreateMixin,
    ManagersWrite,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    filter_backends = [filters.DjangoFilterBackend]
    filterset_fields = ["is_active"]

    def get_queryset(self):
        model = self.get_serializer_class().Meta.model
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        return model.objects.for_clinic(requester(self.request).clinic_id)


class AppointmentTypeViewSet(ClinicListViewSet):
    """The clinic's appointment types, shortest first, each with its length: a first
    visit of 60 minutes, a follow-up of 45."""

    serializer_class = AppointmentTypeSerializer


class RoomViewSet(ClinicListViewSet):
    """The clinic's rooms. A clinic without rooms books without one."""

    serializer_class = RoomSerializer


@extend_schema_field(
    {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"}
)
class WallClockField(serializers.TimeField):
    """A time of day in the clinic's zone, without an offset (OpenAPI's "time" format
    would require one): 09:00 stays 09:00 across a daylight-saving change."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class WorkingHoursSerializer(ClinicScoped, serializers.ModelSerializer):
    practitioner = in_clinic(required=False, help_text="Whose hours; left out, yours.")
    starts = WallClockField(help_text="In the clinic's wall-clock time, such as 09:00.")
    ends = WallClockField(help_text="After the start, the same day, such as 13:00.")

    class Meta:
        model = WorkingHours
        fields = ["id", "practitioner", "weekday", "starts", "ends"]

    def validate_practitioner(self, practitioner):
        hours.refuse_unless_may_edit(owner=practitioner, actor=self.actor)
        return practitioner

    def create(self, data):
        stretch = WorkingHours(practitioner=data.get("practitioner", self.actor))
        return self.saved(stretch, data)

    def update(self, stretch, data):
        return self.saved(stretch, data)

    def saved(self, stretch, data):
        for name in ("practitioner", "weekday", "starts", "ends"):
            if name in data:
                setattr(stretch, name, data[name])
        return hours.save_stretch(stretch)


class WorkingHoursFilter(filters.FilterSet):
    practitioner = filters.ModelChoiceFilter(
        queryset=practitioners_for_request, label="Practitioner id"
    )

    class Meta:
        model = WorkingHours
        fields = ["practitioner", "weekday"]


class WorkingHoursViewSet(IdempotentCreateMixin, viewsets.ModelViewSet):
    """The clinic's working hours, a stretch of one weekday each, in the clinic's wall-clock
    time: a booking outside them asks for confirmation. A practitioner adds, changes and
    deletes their own; a clinic manager anyone's."""

    serializer_class = WorkingHoursSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = WorkingHoursFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WorkingHours.objects.none()
        clinic_id = requester(self.request).clinic_id
        return WorkingHours.objects.for_clinic(clinic_id).select_related("practitioner")

    def get_object(self):
        stretch = super().get_object()
        if self.request.method not in SAFE_METHODS:
            hours.refuse_unless_may_edit(owner=stretch.practitioner, actor=requester(self.request))
        return stretch
