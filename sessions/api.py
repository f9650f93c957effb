"""Sessions API: record, edit, sign and amend treatment sessions.

Every write goes through sessions.services, so the API and the pages enforce the same
rules; a service's ValidationError becomes a 400 with field keys (clinic.api_errors).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from catalogue.models import Condition, Point, PressureTool
from clinic.access import (
    clients_for_request,
    require_practitioner,
    sessions_for,
)
from clinic.models import Client

from . import services
from .models import (
    MAX_POINT_SECONDS,
    Amendment,
    Pressure,
    Side,
    TreatedPoint,
    TreatmentSession,
)
from .models import Response as PointResponse

SESSION_FIELDS = [
    "started_at",
    "complaint",
    "pain_before",
    "pain_after",
    "outcome",
    "notes",
    "adverse_reaction",
    "follow_up",
]
POINT_FIELDS = ["point", "side", "tool", "duration_seconds", "pressure", "response"]


class CodeField(serializers.SlugRelatedField):
    """A slug looked up after normalising its case: `li4` finds LI4, `Thumb` finds thumb."""

    def __init__(self, *, normalise, **kwargs):
        self.normalise = normalise
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = self.normalise(data.strip())
        return super().to_internal_value(data)


class TreatedPointSerializer(serializers.ModelSerializer):
    point = CodeField(
        normalise=str.upper,
        slug_field="code",
        queryset=Point.objects.active().select_related("default_tool"),
        help_text="Code of an active catalogue point, e.g. LI4.",
        error_messages={
            "does_not_exist": "Unknown or retired point: {value}.",
            "invalid": "Give the point as a code such as LI4.",
        },
    )
    tool = CodeField(
        normalise=str.lower,
        slug_field="slug",
        queryset=PressureTool.objects.all(),
        required=False,
        allow_null=True,
        help_text="Pressure tool slug; the point's default tool when left out.",
        error_messages={
            "does_not_exist": "Unknown pressure tool: {value}.",
            "invalid": "Give the tool as a slug such as thumb.",
        },
    )
    duration_seconds = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_POINT_SECONDS,
        help_text="Seconds on the point; the point's default when left out.",
        error_messages={
            "min_value": "The duration must be more than zero.",
            "max_value": "No more than 30 minutes (1800 seconds) on one point.",
        },
    )
    side = serializers.ChoiceField(choices=Side.choices)
    pressure = serializers.ChoiceField(choices=Pressure.choices)
    response = serializers.ChoiceField(
        choices=PointResponse.choices, required=False, allow_blank=True, default=""
    )

    class Meta:
        model = TreatedPoint
        fields = POINT_FIELDS

    def validate(self, attrs):
        if attrs.get("tool") is None and attrs["point"].default_tool_id is None:
            raise serializers.ValidationError(
                {"tool": f"{attrs['point'].code} has no default tool: choose one."}
            )
        return attrs


class AmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Amendment
        fields = ["amended_by", "amended_at", "reason", "changes"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.none())
    conditions = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Condition.objects.all(),
        many=True,
        required=False,
        help_text="Condition slugs, e.g. neck-pain.",
    )
    points = TreatedPointSerializer(
        source="treated_points",
        many=True,
        required=False,
        help_text="The points pressed, in order. Left out on an update: kept as they are.",
    )
    practitioner_name = serializers.CharField(source="practitioner.display_name", read_only=True)
    amendments = AmendmentSerializer(many=True, read_only=True)
    is_signed = serializers.BooleanField(read_only=True)

    class Meta:
        model = TreatmentSession
        fields = [
            "id",
            "client",
            *SESSION_FIELDS,
            "conditions",
            "points",
            "caution_acknowledged",
            "acknowledged_cautions",
            "practitioner",
            "practitioner_name",
            "is_signed",
            "signed_at",
            "signed_by",
            "amendments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "acknowledged_cautions",
            "practitioner",
            "signed_at",
            "signed_by",
            "created_at",
            "updated_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients_for_request(self.context.get("request"))

    def validate_client(self, client):
        if self.instance is not None and client.pk != self.instance.client_id:
            raise serializers.ValidationError("A session's client cannot be changed.")
        if self.instance is None:
            services.refuse_archived(client, "record a session")
        return client

    def create(self, validated_data):
        return services.record_session(
            client=validated_data["client"],
            practitioner=validated_data["practitioner"],
            fields={
                name: validated_data[name] for name in SESSION_FIELDS if name in validated_data
            },
            conditions=validated_data.get("conditions", []),
            points=validated_data.get("treated_points", []),
            caution_acknowledged=validated_data.get("caution_acknowledged", False),
        )

    def update(self, session, validated_data):
        """PUT and PATCH alike: what is left out keeps its current value."""
        if "treated_points" in validated_data:
            points = validated_data["treated_points"]
        else:
            points = [
                {name: getattr(row, name) for name in POINT_FIELDS}
                for row in session.treated_points.select_related("point", "tool")
            ]
        return services.update_session(
            session,
            fields={
                name: validated_data.get(name, getattr(session, name)) for name in SESSION_FIELDS
            },
            conditions=validated_data.get("conditions", list(session.conditions.all())),
            points=points,
            caution_acknowledged=validated_data.get(
                "caution_acknowledged", session.caution_acknowledged
            ),
        )


class AmendSerializer(serializers.ModelSerializer):
    """A correction to a signed session: a reason and the new values."""

    reason = serializers.CharField(help_text="Why the session is being amended.")

    class Meta:
        model = TreatmentSession
        fields = ["reason", *services.AMENDABLE_FIELDS]
        extra_kwargs = {name: {"required": False} for name in services.AMENDABLE_FIELDS}
        # A signed session keeps the pain after and outcome that signing required.
        extra_kwargs["pain_after"]["allow_null"] = False
        extra_kwargs["outcome"]["allow_blank"] = False

    def changes(self):
        return {name: value for name, value in self.validated_data.items() if name != "reason"}


class DraftRecordMixin:
    """For records written through services and frozen once final (signed, issued):
    answers with the record reloaded as the list shows it, and refuses an update of a
    final record before validating, so the answer is about that."""

    locked_message = ""

    def is_locked(self, record):
        raise NotImplementedError

    def reloaded(self, record):
        return self.get_queryset().get(pk=record.pk)

    def perform_create(self, serializer):
        saved = serializer.save(practitioner=require_practitioner(self.request))
        serializer.instance = self.reloaded(saved)
        return saved

    def perform_update(self, serializer):
        serializer.instance = self.reloaded(serializer.save())

    def update(self, request, *args, **kwargs):
        if self.is_locked(self.get_object()):
            raise DjangoValidationError(self.locked_message)
        return super().update(request, *args, **kwargs)


class SessionFilter(filters.FilterSet):
    client = filters.ModelChoiceFilter(queryset=clients_for_request, label="Client id")
    date_from = filters.DateFilter(
        field_name="started_at", lookup_expr="date__gte", label="Started on or after"
    )
    date_to = filters.DateFilter(
        field_name="started_at", lookup_expr="date__lte", label="Started on or before"
    )

    class Meta:
        model = TreatmentSession
        fields = ["client", "date_from", "date_to"]


class SessionViewSet(
    DraftRecordMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A clinic's treatment sessions, newest first. Sessions are signed and amended,
    never deleted; a signed session can no longer be updated."""

    serializer_class = SessionSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = SessionFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TreatmentSession.objects.none()
        return (
            sessions_for(require_practitioner(self.request))
            .select_related("client", "practitioner", "signed_by")
            .prefetch_related(
                "conditions",
                Prefetch("treated_points", TreatedPoint.objects.select_related("point", "tool")),
                "amendments",
            )
        )

    locked_message = services.SIGNED_MESSAGE

    def is_locked(self, session):
        return session.is_signed

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the session: it becomes read-only; later corrections are amendments."""
        session = services.sign_session(
            self.get_object(), practitioner=require_practitioner(request)
        )
        return Response(self.get_serializer(self.reloaded(session)).data)

    @extend_schema(request=AmendSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        """Correct a signed session; the old values stay visible in its amendments."""
        session = self.get_object()
        amendment = AmendSerializer(data=request.data)
        amendment.is_valid(raise_exception=True)
        services.amend_session(
            session,
            practitioner=require_practitioner(request),
            reason=amendment.validated_data["reason"],
            changes=amendment.changes(),
        )
        return Response(self.get_serializer(self.reloaded(session)).data)
