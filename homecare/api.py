"""Home-care sheets API: made from a session or from scratch, edited as drafts, issued as
a stored PDF that never changes (a correction is a new version).

Every write goes through homecare.services, as the pages do; the serializers only turn
input into values and `ItemRow`s. A rule's ValidationError becomes a 400 with field keys
(config.api_errors).
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from catalogue.fields import PointCodeSerializerField, ToolSlugSerializerField
from clinic.access import clients_for, clients_for_request, practitioner_for, require_practitioner
from clinic.access_log import API, AccessEvent, record_view
from clinic.api_records import (
    ReadLoggedMixin,
    ServiceWrittenRecordMixin,
    as_field_errors,
    revision_checked,
)
from clinic.idempotency import IdempotentCreateMixin, idempotent
from clinic.models import Client
from sessions.models import Side, TreatmentSession

from . import roles, services
from .forms import SHEET_FIELDS
from .models import HomeCareItem, HomeCareSheet
from .pdf import pdf_response, sheet_for_pdf
from .rows import ItemRow

ITEM_FIELDS = ["point", "tool", "duration_seconds", "times_per_day", "side", "instructions"]
SHEET_RELATIONS = [Prefetch("items", HomeCareItem.objects.select_related("point", "tool"))]


class HomeCareItemSerializer(serializers.ModelSerializer):
    point = PointCodeSerializerField(help_text="Code of an active self-care point, e.g. LI4.")
    point_name = serializers.CharField(source="point.english_name", read_only=True)
    tool = ToolSlugSerializerField(
        required=False,
        allow_null=True,
        help_text="Slug of a tool the client can use on themselves; left out, the point's "
        "default if it is one, else a knuckle.",
    )
    duration_seconds = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Seconds on the point (at most 1800); the point's default when left out.",
    )
    times_per_day = serializers.IntegerField(required=False, default=2, help_text="1 to 10.")
    side = serializers.ChoiceField(choices=Side.choices, default=Side.BOTH)
    instructions = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Left empty: the catalogue's self-care text for the point.",
    )

    class Meta:
        model = HomeCareItem
        fields = ["point", "point_name", *ITEM_FIELDS[1:]]

    def validate(self, attrs):
        try:
            return ItemRow(**attrs)
        except ValidationError as error:
            raise as_field_errors(error) from error


class HomeCareSheetSerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.none(),
        required=False,
        help_text="Make the sheet from scratch for this client (or give a session).",
    )
    session = serializers.PrimaryKeyRelatedField(
        queryset=TreatmentSession.objects.none(),
        required=False,
        allow_null=True,  # a sheet made from scratch has none
        help_text="Make the sheet from this session's self-care points (or give a client).",
    )
    items = HomeCareItemSerializer(
        many=True,
        required=False,
        help_text="The points, in order. On an update they replace all the sheet's items; "
        "left out, the items stay as they are.",
    )

    class Meta:
        model = HomeCareSheet
        fields = [
            "id",
            "client",
            "session",
            "created_by",
            "created_at",
            *SHEET_FIELDS,
            "version",
            "supersedes",
            "caution_acknowledged",
            "acknowledged_cautions",
            "issued_at",
            "issued_by",
            "pdf_sha256",
            "items",
            "revision",
        ]
        read_only_fields = [
            "created_by",
            "created_at",
            "version",
            "supersedes",
            "acknowledged_cautions",
            "issued_at",
            "issued_by",
            "pdf_sha256",
            "revision",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        practitioner = practitioner_for(request.user) if request is not None else None
        if practitioner is not None:
            self.fields["client"].queryset = clients_for(practitioner)
            sessions = TreatmentSession.objects.for_clinic(practitioner.clinic_id)
            self.fields["session"].queryset = sessions.select_related("client")

    def validate(self, attrs):
        if "session" in attrs and attrs["session"] is None:
            del attrs["session"]  # null is "no session", as leaving it out
        if self.instance is not None:
            for name in ("client", "session"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: f"A sheet's {name} cannot change."})
            return attrs
        if ("client" in attrs) == ("session" in attrs):
            raise serializers.ValidationError(
                ("Give a session or a client, not both: " if "client" in attrs else "Give ")
                + "a session to start from its points, or a client to list the points yourself."
            )
        if "session" in attrs:
            extra = sorted(set(self.initial_data) - {"session"})
            if extra:
                raise serializers.ValidationError(
                    {
                        name: "A sheet made from a session takes only the session; "
                        "edit the draft afterwards."
                        for name in extra
                    }
                )
        return attrs

    # Session points left off a sheet made from a session (a rule says to avoid them). A
    # point listed by hand that is to be avoided is refused instead, so none is left out.
    left_out: list[str] | tuple[str, ...] = ()

    def create(self, validated_data):
        practitioner = validated_data["practitioner"]
        if "session" in validated_data:
            made = services.sheet_from_session(
                session=validated_data["session"], practitioner=practitioner
            )
            self.left_out = made.left_out
            return made.sheet
        return services.create_sheet(
            client=validated_data["client"],
            practitioner=practitioner,
            items=validated_data.get("items", []),
            **{name: validated_data[name] for name in SHEET_FIELDS if name in validated_data},
            caution_acknowledged=validated_data.get("caution_acknowledged", False),
        )

    def update(self, sheet, validated_data):
        """PUT and PATCH alike: what is left out keeps the value saved when the service
        takes the lock, so a change someone made meanwhile to another field is kept."""
        given = {
            name: validated_data[name]
            for name in [*SHEET_FIELDS, "items", "caution_acknowledged"]
            if name in validated_data
        }
        return services.update_sheet(
            sheet=sheet,
            practitioner=require_practitioner(self.context["request"]),
            expected_revision=self.context["expected_revision"],
            **given,
        )


class CreatedSheetSerializer(HomeCareSheetSerializer):
    """The answer to a create: the sheet, and the session points left off it."""

    left_out = serializers.SerializerMethodField(
        help_text="Session points left out because a caution rule says to avoid them "
        'for the client\'s health flags, e.g. "CV4: Pregnancy". They cannot be added back.',
    )

    class Meta(HomeCareSheetSerializer.Meta):
        fields = [*HomeCareSheetSerializer.Meta.fields, "left_out"]

    def get_left_out(self, sheet) -> list[str]:
        return self.left_out


class NewestSheetsFirst(CursorPagination):
    """The clinic's sheets newest first, off the (created_at, id) index; no total, which
    would count every sheet the clinic ever made. Follow `next` for older ones."""

    page_size = 25
    ordering = ("-created_at", "-id")


class HomeCareSheetFilter(filters.FilterSet):
    client = filters.ModelChoiceFilter(queryset=clients_for_request, label="Client id")

    class Meta:
        model = HomeCareSheet
        fields = ["client"]


class JsonUnlessAcceptable(DefaultContentNegotiation):
    """The PDF is an HttpResponse, so only errors are rendered: in JSON whatever the
    client accepts (an `Accept: application/pdf` must not turn a PDF into a 406)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            return renderers[0], renderers[0].media_type


@extend_schema_view(
    create=extend_schema(request=HomeCareSheetSerializer, responses={201: CreatedSheetSerializer}),
    update=revision_checked(HomeCareSheetSerializer),
    partial_update=revision_checked(HomeCareSheetSerializer),
)
class HomeCareSheetViewSet(
    IdempotentCreateMixin,
    ReadLoggedMixin,
    ServiceWrittenRecordMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A clinic's home-care sheets, newest first. A draft is edited; an issued sheet never
    changes (its PDF is stored): a correction is a new version. Sheets are never deleted."""

    serializer_class = HomeCareSheetSerializer
    pagination_class = NewestSheetsFirst
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = HomeCareSheetFilter

    final_message = services.ISSUED_MESSAGE
    revision_noun = "home-care sheet"
    access_record_type = AccessEvent.RecordType.SHEET

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HomeCareSheet.objects.none()
        sheets = HomeCareSheet.objects.for_clinic(require_practitioner(self.request).clinic_id)
        if self.action == "pdf":
            return sheets  # sheet_for_pdf reads the sheet itself, once
        return (
            sheets.defer("pdf")  # the stored PDF is only read by the pdf action
            .select_related("client", "created_by", "issued_by")
            .prefetch_related(*SHEET_RELATIONS)
        )

    def get_serializer_class(self):
        return CreatedSheetSerializer if self.action == "create" else HomeCareSheetSerializer

    def is_final(self, sheet):
        return sheet.is_issued

    def refuse_edit(self, sheet):
        roles.refuse_unless_maker(sheet, require_practitioner(self.request), to="edit")

    def with_relations(self, sheet):
        prefetch_related_objects([sheet], *SHEET_RELATIONS)
        return sheet

    @revision_checked(HomeCareSheetSerializer, request=None)
    @idempotent
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue the sheet: its PDF is rendered, stored and fingerprinted (pdf_sha256)."""
        sheet = services.issue_sheet(
            sheet=self.get_object(),
            practitioner=require_practitioner(request),
            expected_revision=self.expected_revision(),
        )
        return Response(self.get_serializer(sheet).data)

    @extend_schema(
        request=None, responses={201: HomeCareSheetSerializer, 200: HomeCareSheetSerializer}
    )
    @idempotent
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """A new draft copying an issued sheet, for corrections (201). A sheet has one next
        version: asked again, this answers the existing one (200)."""
        copy, made = services.new_version(
            sheet=self.get_object(), practitioner=require_practitioner(request)
        )
        data = self.get_serializer(self.with_relations(copy)).data
        return Response(data, status=status.HTTP_201_CREATED if made else status.HTTP_200_OK)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], content_negotiation_class=JsonUnlessAcceptable)
    def pdf(self, request, pk=None):
        """An issued sheet answers its stored bytes, the same every time; a draft is
        rendered as a preview."""
        sheet = sheet_for_pdf(self.filter_queryset(self.get_queryset()), pk)
        record_view(
            request,
            client=sheet.client,
            record_type=AccessEvent.RecordType.SHEET_PDF,
            record_id=sheet.pk,
            detail=API,
        )
        return pdf_response(sheet)
