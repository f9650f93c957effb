"""Treatment plans in the API: started through plans.start_plan, which books the whole
series in one step (or nothing, naming every clash), and read with their progress and
their appointments. A plan is never deleted; its appointments are moved and cancelled one
by one through the appointments API."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from clinic.access import clients_for_request
from clinic.access import require_practitioner as requester
from clinic.access_log import AccessEvent
from clinic.api_records import ReadLoggedMixin
from clinic.idempotency import IdempotentCreateMixin

from . import plans
from .api import CONFIRM_HELP, ClinicScoped, confirming, in_clinic
from .models import Appointment, TreatmentPlan


class PlanAppointmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "plan_number", "starts_at", "ends_at", "status"]
        read_only_fields = fields


class PlanProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="Sessions completed.")
    missed = serializers.IntegerField(help_text="Appointments the client did not come to.")
    booked = serializers.IntegerField(help_text="Appointments still to come (or under way).")
    planned = serializers.IntegerField()
    next_review = serializers.IntegerField(
        allow_null=True, help_text="The session number of the next review, if one is left."
    )
    percent = serializers.IntegerField(help_text="Completed, in percent of those planned.")


class TreatmentPlanSerializer(ClinicScoped, serializers.ModelSerializer):
    client = in_clinic(help_text="One of the clinic's clients.")
    practitioner = in_clinic(required=False, help_text="Who treats; left out, you.")
    review_at = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=52),
        required=False,
        max_length=52,
        help_text="The session numbers at which progress is reviewed, such as [4, 8].",
    )
    first_starts_at = serializers.DateTimeField(
        write_only=True,
        help_text="The first session; the others follow at the interval, at the same "
        "wall-clock time in the clinic's zone.",
    )
    appointment_type = in_clinic(
        write_only=True, required=False, allow_null=True, help_text="Sets each one's length."
    )
    minutes = serializers.IntegerField(
        write_only=True,
        required=False,
        allow_null=True,
        min_value=5,
        max_value=480,
        help_text="Each one's length, when no type is given.",
    )
    room = in_clinic(write_only=True, required=False, allow_null=True)
    confirm_outside_hours = serializers.BooleanField(
        write_only=True, default=False, help_text=CONFIRM_HELP
    )
    progress = serializers.SerializerMethodField()
    appointments = PlanAppointmentSerializer(many=True, read_only=True)
    revision = serializers.IntegerField(read_only=True)

    class Meta:
        model = TreatmentPlan
        fields = [
            "id",
            "client",
            "practitioner",
            "goal",
            "sessions_planned",
            "interval_days",
            "review_at",
            "first_starts_at",
            "appointment_type",
            "minutes",
            "room",
            "confirm_outside_hours",
            "progress",
            "appointments",
            "created_at",
            "created_by",
            "ended_at",
            "revision",
        ]
        read_only_fields = ["created_at", "created_by", "ended_at"]

    @extend_schema_field(PlanProgressSerializer)
    def get_progress(self, plan):
        return plans.progress(plan)

    def create(self, data):
        return confirming(
            lambda: plans.start_plan(
                client=data["client"],
                practitioner=data.get("practitioner", self.actor),
                created_by=self.actor,
                goal=data["goal"],
                sessions_planned=data["sessions_planned"],
                interval_days=data["interval_days"],
                first_starts_at=data["first_starts_at"],
                appointment_type=data.get("appointment_type"),
                minutes=data.get("minutes"),
                room=data.get("room"),
                review_at=data.get("review_at", []),
                confirm_outside_hours=data.get("confirm_outside_hours", False),
            )
        )


class TreatmentPlanFilter(filters.FilterSet):
    client = filters.ModelChoiceFilter(queryset=clients_for_request, label="Client id")

    class Meta:
        model = TreatmentPlan
        fields = ["client"]


class TreatmentPlanViewSet(
    IdempotentCreateMixin,
    ReadLoggedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The clinic's treatment plans, newest first: a course of sessions at an interval,
    with a goal and review points, each session its own appointment. Never deleted."""

    serializer_class = TreatmentPlanSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = TreatmentPlanFilter
    access_record_type = AccessEvent.RecordType.PLAN

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TreatmentPlan.objects.none()
        clinic_id = requester(self.request).clinic_id
        appointments = Appointment.objects.order_by("plan_number", "starts_at")
        return (
            TreatmentPlan.objects.for_clinic(clinic_id)
            .select_related("client")
            .prefetch_related(Prefetch("appointments", appointments))
        )
