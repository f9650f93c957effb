"""Home-care sheets API: made from a session or from scratch, edited as drafts, issued as
a stored PDF that never changes (a correction is a new version).

Every write goes through sessions.homecare, as the pages do; a service's ValidationError
becomes a 400 with field keys (clinic.api_errors).
"""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from catalogue.models import Point, PressureTool
from clinic.access import (
    clients_for,
    clients_for_request,
    practitioner_for,
    require_practitioner,
    sessions_for,
    sheets_for,
)
from clinic.models import Client

from . import homecare
from .api import CodeField, DraftRecordMixin
from .models import MAX_POINT_SECONDS, HomeCareItem, HomeCareSheet, Side, TreatmentSession
from .pdf import pdf_response

ITEM_FIELDS = ["point", "tool", "duration_seconds", "times_per_day", "side", "instructions"]
SHEET_FIELDS = ["general_advice", "large_print", "paper"]
SELF_CARE_TOOL = "Choose a tool the client can use on themselves."


class HomeCareItemSerializer(serializers.ModelSerializer):
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
    point_name = serializers.CharField(source="point.english_name", read_only=True)

    def validate_point(self, point):
        if not point.self_care:
            raise serializers.ValidationError(homecare.not_for_self_care(point))
        return point

    tool = CodeField(
        normalise=str.lower,
        slug_field="slug",
        queryset=PressureTool.objects.filter(self_applicable=True),
        required=False,
        allow_null=True,
        help_text="Slug of a tool the client can use on themselves; left out, the point's "
        "default if it is one, else a knuckle.",
        error_messages={"does_not_exist": SELF_CARE_TOOL, "invalid": SELF_CARE_TOOL},
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
    times_per_day = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=10,
        default=2,
        error_messages={
            "min_value": "At least once a day.",
            "max_value": "No more than 10 times a day.",
        },
    )
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


class HomeCareSheetSerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.none(),
        required=False,
        help_text="Make the sheet from scratch for this client (or give a session).",
    )
    session = serializers.PrimaryKeyRelatedField(
        queryset=TreatmentSession.objects.none(),
        required=False,
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
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        practitioner = practitioner_for(request.user) if request is not None else None
        if practitioner is not None:
            self.fields["client"].queryset = clients_for(practitioner)
            self.fields["session"].queryset = sessions_for(practitioner).select_related("client")

    def validate(self, attrs):
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

    def create(self, validated_data):
        practitioner = validated_data["practitioner"]
        if "session" in validated_data:
            sheet, left_out = homecare.sheet_from_session(
                session=validated_data["session"], practitioner=practitioner
            )
            sheet.left_out = left_out
            return sheet
        sheet = homecare.create_sheet(
            client=validated_data["client"],
            practitioner=practitioner,
            rows=validated_data.get("items", []),
            fields={name: validated_data[name] for name in SHEET_FIELDS if name in validated_data},
            caution_acknowledged=validated_data.get("caution_acknowledged", False),
        )
        sheet.left_out = []  # a caution on a listed point is acknowledged or refused
        return sheet

    def update(self, sheet, validated_data):
        """PUT and PATCH alike: what is left out keeps its current value."""
        if "items" in validated_data:
            rows = validated_data["items"]
        else:
            rows = [
                {name: getattr(item, name) for name in ITEM_FIELDS}
                for item in sheet.items.select_related("point", "tool")
            ]
        return homecare.update_sheet(
            sheet,
            rows=rows,
            fields={name: validated_data.get(name, getattr(sheet, name)) for name in SHEET_FIELDS},
            caution_acknowledged=validated_data.get(
                "caution_acknowledged", sheet.caution_acknowledged
            ),
        )


class CreatedSheetSerializer(HomeCareSheetSerializer):
    left_out = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Session points left out for the client's health flags, e.g. "
        '"SP6: Pregnancy". Add one back (acknowledging the caution) only if judged safe.',
    )

    class Meta(HomeCareSheetSerializer.Meta):
        fields = [*HomeCareSheetSerializer.Meta.fields, "left_out"]


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
    create=extend_schema(request=HomeCareSheetSerializer, responses={201: CreatedSheetSerializer})
)
class HomeCareSheetViewSet(
    DraftRecordMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A clinic's home-care sheets, newest first. A draft is edited; an issued sheet never
    changes (its PDF is stored): a correction is a new version. Sheets are never deleted."""

    serializer_class = HomeCareSheetSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = HomeCareSheetFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HomeCareSheet.objects.none()
        sheets = sheets_for(require_practitioner(self.request))
        if self.action == "pdf":
            return sheets.select_related("client")
        items = HomeCareItem.objects.select_related("point", "tool")
        return (
            sheets.defer("pdf")  # the stored PDF is only read by the pdf action
            .select_related("client", "created_by", "issued_by")
            .prefetch_related(Prefetch("items", items))
        )

    def get_serializer_class(self):
        return CreatedSheetSerializer if self.action == "create" else HomeCareSheetSerializer

    locked_message = homecare.ISSUED_MESSAGE

    def is_locked(self, sheet):
        return sheet.is_issued

    def perform_create(self, serializer):
        saved = super().perform_create(serializer)
        serializer.instance.left_out = saved.left_out

    @extend_schema(request=None, responses=HomeCareSheetSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue the sheet: its PDF is rendered, stored and fingerprinted (pdf_sha256)."""
        sheet = homecare.issue_sheet(self.get_object(), practitioner=require_practitioner(request))
        return Response(self.get_serializer(self.reloaded(sheet)).data)

    @extend_schema(request=None, responses={201: HomeCareSheetSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """A new draft copying an issued sheet, for corrections."""
        copy = homecare.new_version(self.get_object(), practitioner=require_practitioner(request))
        data = self.get_serializer(self.reloaded(copy)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], content_negotiation_class=JsonUnlessAcceptable)
    def pdf(self, request, pk=None):
        """An issued sheet answers its stored bytes, the same every time; a draft is
        rendered as a preview."""
        return pdf_response(self.get_queryset(), self.get_object().pk)
