"""Sessions API: record, edit, sign and amend treatment sessions.

Every write goes through sessions.services, as the pages do; the serializers only turn
input into values and `PointRow`s. A rule's ValidationError becomes a 400 with field keys
(config.api_errors).
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from catalogue.fields import PointCodeSerializerField, ToolSlugSerializerField
from catalogue.models import Condition
from clinic.access import clients_for_request, require_practitioner
from clinic.access_log import AccessEvent
from clinic.api_records import (
    ReadLoggedMixin,
    ServiceWrittenRecordMixin,
    as_field_errors,
    revision_checked,
)
from clinic.idempotency import IdempotentCreateMixin, idempotent
from clinic.models import Client

from . import roles, services
from .models import (
    Amendment,
    HoldEnded,
    PointResponse,
    Pressure,
    Side,
    TreatedPoint,
    TreatmentSession,
)
from .pain_marks import MAX_MARKS, pain_marks_from
from .rows import ROW_FIELDS, PointRow

POINT_FIELDS = ROW_FIELDS
SESSION_RELATIONS = [
    "conditions",
    Prefetch("treated_points", TreatedPoint.objects.select_related("point", "tool")),
    "amendments",
]


class TreatedPointSerializer(serializers.ModelSerializer):
    point = PointCodeSerializerField(help_text="Code of an active catalogue point, e.g. LI4.")
    tool = ToolSlugSerializerField(
        required=False,
        allow_null=True,
        help_text="Pressure tool slug; the point's default tool when left out.",
    )
    duration_seconds = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Seconds on the point (at most 1800); the point's default when left out.",
    )
    side = serializers.ChoiceField(choices=Side.choices)
    pressure = serializers.ChoiceField(choices=Pressure.choices)
    response = serializers.ChoiceField(
        choices=PointResponse.choices, required=False, allow_blank=True, default=""
    )
    held_seconds = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Seconds the hold timer ran (1 to 1800), with hold_ended; null when the "
        "point was not timed.",
    )
    hold_ended = serializers.ChoiceField(
        choices=HoldEnded.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="How the timed hold ended, with held_seconds; blank when not timed.",
    )

    class Meta:
        model = TreatedPoint
        fields = POINT_FIELDS

    def validate(self, attrs):
        try:
            return PointRow(**attrs)
        except ValidationError as error:
            raise as_field_errors(error) from error


class AmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Amendment
        fields = ["amended_by", "amended_as", "amended_at", "reason", "changes"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.none())
    conditions = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Condition.objects.all(),  # retired too: a draft keeps the ones it has
        many=True,
        required=False,
        help_text="Condition slugs, e.g. neck-pain. A retired one stays on a draft that has "
        "it but is not added anew.",
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
    acknowledged_cautions = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=2000,
        help_text="Each caution acknowledged, by the label a refusal lists, e.g. "
        "'SP6 Pregnancy: take care (SP6)'. An avoid, or a tool or pressure a rule excludes, "
        "is refused until its label is here.",
    )
    check_in_found = serializers.ListField(
        child=serializers.CharField(max_length=80),
        required=False,
        max_length=100,
        help_text="The check-in questions answered yes, by code: 'flag:fever_acute_illness', "
        "or 'sign:<warning sign key>' (see /api/v1/warning-signs/).",
    )
    check_in_asked = serializers.ListField(child=serializers.CharField(), read_only=True)
    pain_marks = serializers.JSONField(
        required=False,
        help_text="Where it hurt: a list of at most "
        f"{MAX_MARKS} marks, each {{view, x, y, radius, intensity}}: a body view's key (see "
        "the catalogue's figures), x and y in percent of the view, radius 4, 7 or 11 "
        "(percent: small, medium, large), intensity 1 to 10. Left out on an update: kept.",
    )
    revision = serializers.IntegerField(
        read_only=True, help_text="Raised by every change; the ETag of the detail answer."
    )

    class Meta:
        model = TreatmentSession
        fields = [
            "id",
            "client",
            *services.SESSION_FIELDS,
            "conditions",
            "points",
            "caution_acknowledged",
            "acknowledged_cautions",
            "check_in_asked",
            "check_in_found",
            "check_in_acknowledged",
            "pain_marks",
            "practitioner",
            "practitioner_name",
            "is_signed",
            "signed_at",
            "signed_by",
            "amendments",
            "revision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "caution_acknowledged",
            "check_in_asked",
            "practitioner",
            "signed_at",
            "signed_by",
            "created_at",
            "updated_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients_for_request(self.context.get("request"))

    def validate_pain_marks(self, value):
        try:
            return pain_marks_from(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def validate_client(self, client):
        if self.instance is not None and client.pk != self.instance.client_id:
            raise serializers.ValidationError("A session's client cannot be changed.")
        return client

    def create(self, validated_data):
        values = {
            name: validated_data[name] for name in services.SESSION_FIELDS if name in validated_data
        }
        return services.record_session(
            client=validated_data["client"],
            practitioner=validated_data["practitioner"],
            **values,
            conditions=validated_data.get("conditions", []),
            points=validated_data.get("treated_points", []),
            **{name: validated_data[name] for name in ACKNOWLEDGEMENTS if name in validated_data},
        )

    def update(self, session, validated_data):
        """PUT and PATCH alike: what is left out keeps the value saved when the service
        takes the lock, so a change someone made meanwhile to another field is kept."""
        given = {
            name: validated_data[name]
            for name in [*services.SESSION_FIELDS, "conditions", *ACKNOWLEDGEMENTS]
            if name in validated_data
        }
        if "treated_points" in validated_data:
            given["points"] = validated_data["treated_points"]
        return services.update_session(
            session=session,
            practitioner=require_practitioner(self.context["request"]),
            expected_revision=self.context["expected_revision"],
            **given,
        )


# Passed to the services by name when given.
ACKNOWLEDGEMENTS = [
    "acknowledged_cautions",
    "check_in_found",
    "check_in_acknowledged",
    "pain_marks",
]


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


def local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# Days beyond these have no midnight in UTC for every zone: no bound is needed there.
FIRST_DAY, LAST_DAY = date(2, 1, 1), date(9998, 12, 31)


class NewestFirst(CursorPagination):
    """Pages of the clinic's sessions, newest first, each read off the (clinic, started_at)
    index; no total, since counting every session the clinic ever had grows with it.
    Follow `next` for older ones."""

    page_size = 25
    ordering = ("-started_at", "-id")


class SessionFilter(filters.FilterSet):
    """Dates are the clinic's calendar days, compared as moments (from midnight to
    midnight in its zone) so that the (clinic, started_at) index serves them."""

    client = filters.ModelChoiceFilter(queryset=clients_for_request, label="Client id")
    date_from = filters.DateFilter(method="started_from", label="Started on or after")
    date_to = filters.DateFilter(method="started_by", label="Started on or before")

    def started_from(self, sessions, name, day):
        if day < FIRST_DAY:
            return sessions
        return sessions.filter(started_at__gte=local_midnight(min(day, LAST_DAY)))

    def started_by(self, sessions, name, day):
        if day > LAST_DAY:
            return sessions
        return sessions.filter(
            started_at__lt=local_midnight(max(day, FIRST_DAY) + timedelta(days=1))
        )

    class Meta:
        model = TreatmentSession
        fields = ["client", "date_from", "date_to"]


@extend_schema_view(
    update=revision_checked(SessionSerializer),
    partial_update=revision_checked(SessionSerializer),
)
class SessionViewSet(
    IdempotentCreateMixin,
    ReadLoggedMixin,
    ServiceWrittenRecordMixin,
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
    pagination_class = NewestFirst
    final_message = services.SIGNED_MESSAGE
    revision_noun = "session"
    access_record_type = AccessEvent.RecordType.SESSION

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TreatmentSession.objects.none()
        sessions = TreatmentSession.objects.for_clinic(require_practitioner(self.request).clinic_id)
        return sessions.select_related("client", "practitioner", "signed_by").prefetch_related(
            *SESSION_RELATIONS
        )

    def is_final(self, session):
        return session.is_signed

    def refuse_edit(self, session):
        roles.refuse_unless_treating(session, require_practitioner(self.request), to="edit")

    def with_relations(self, session):
        prefetch_related_objects([session], *SESSION_RELATIONS)
        return session

    @revision_checked(SessionSerializer, request=None)
    @idempotent
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the session: it becomes read-only; later corrections are amendments. With
        If-Match, only the revision the practitioner reviewed is signed."""
        session = services.sign_session(
            session=self.get_object(),
            practitioner=require_practitioner(request),
            expected_revision=self.expected_revision(),
        )
        return Response(self.get_serializer(self.with_relations(session)).data)

    @revision_checked(SessionSerializer, request=AmendSerializer)
    @idempotent
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        """Correct a signed session; the old values stay visible in its amendments. By its
        treating practitioner or a clinic manager (`amended_as` says which)."""
        session, practitioner = self.get_object(), require_practitioner(request)
        roles.amending_as(session, practitioner)  # refused before the body is read
        correction = AmendSerializer(data=request.data)
        correction.is_valid(raise_exception=True)
        amendment = services.amend_session(
            session=session,
            expected_revision=self.expected_revision(),
            practitioner=practitioner,
            reason=correction.validated_data["reason"],
            changes=correction.changes(),
        )
        return Response(self.get_serializer(self.with_relations(amendment.session)).data)
