from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_view
from rest_framework import filters as drf_filters
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from catalogue.health_flags import (
    SIDES,
    BodyRegion,
    HealthFlag,
    validate_flag_codes,
    validate_flag_sites,
)

from .access import clients_for, colleagues_for, practitioner_for, require_practitioner
from .access_log import AccessEvent
from .api_keyset import ClientsByName
from .api_records import ReadLoggedMixin, RevisionMixin, revision_checked
from .client_search import search_clients
from .idempotency import IdempotentCreateMixin, idempotent
from .models import Client, Practitioner
from .revisions import locked_current


class FlagSiteSerializer(serializers.Serializer):
    region = serializers.ChoiceField(choices=BodyRegion.choices)
    side = serializers.ChoiceField(choices=SIDES)


class ClientSerializer(serializers.ModelSerializer):
    health_flags = serializers.ListField(
        child=serializers.SlugField(max_length=30),
        required=False,
        help_text="Flag codes from /api/v1/health-flags/ (those recorded on a client).",
    )
    flag_sites = serializers.DictField(
        child=FlagSiteSerializer(many=True),
        required=False,
        help_text="Where, for the flags recorded with a site (a scar, a tumour, a device, "
        'a limb): {"lymphoedema": [{"region": "arm", "side": "left"}]}.',
    )
    archived = serializers.BooleanField(read_only=True)
    consent_given_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revision = serializers.IntegerField(
        read_only=True, help_text="Raised by every change; the ETag of the detail answer."
    )

    class Meta:
        model = Client
        fields = [
            "id",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "phone",
            "email",
            "address",
            "emergency_contact",
            "health_history",
            "health_flags",
            "flag_sites",
            "health_flags_other",
            "primary_practitioner",
            "consent_given_at",
            "archived",
            "revision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        practitioner = practitioner_for(request.user) if request is not None else None
        self.fields["primary_practitioner"].queryset = (
            colleagues_for(practitioner) if practitioner else Practitioner.objects.none()
        )

    def validate_health_flags(self, value):
        value = sorted(set(value))
        run_validator(validate_flag_codes, value)
        had = set(getattr(self.instance, "health_flags", []) or [])
        retired = HealthFlag.objects.filter(code__in=set(value) - had, is_active=False)
        if names := [flag.label for flag in retired]:
            raise serializers.ValidationError(f"Retired, not given anew: {', '.join(names)}.")
        return value

    def validate_flag_sites(self, value):
        value = {
            code: list({(s["region"], s["side"]): dict(s) for s in sites}.values())
            for code, sites in value.items()
        }
        run_validator(validate_flag_sites, value)
        return value

    def validate(self, attrs):
        flags = attrs.get("health_flags", getattr(self.instance, "health_flags", []))
        sites = attrs.get("flag_sites", getattr(self.instance, "flag_sites", {}))
        if unrecorded := sorted(set(sites) - set(flags)):
            raise serializers.ValidationError(
                {
                    "flag_sites": "A site is recorded for flags the client does not have: "
                    + ", ".join(unrecorded)
                    + "."
                }
            )
        return attrs


def run_validator(validator, value):
    try:
        validator(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error


class ClientFilter(filters.FilterSet):
    archived = filters.BooleanFilter(
        field_name="archived_at", lookup_expr="isnull", exclude=True, label="Archived"
    )

    class Meta:
        model = Client
        fields = ["archived"]


class ClientWordSearch(drf_filters.SearchFilter):
    """`?search=` as on the client list: the start of a name, email part or phone digits."""

    def filter_queryset(self, request, queryset, view):
        query = request.query_params.get(self.search_param, "")[:100]
        if not query.strip():
            return queryset
        clinic_id = require_practitioner(request).clinic_id
        return search_clients(queryset, query, clinic_id=clinic_id)


@extend_schema_view(
    update=revision_checked(ClientSerializer),
    partial_update=revision_checked(ClientSerializer),
)
class ClientViewSet(
    IdempotentCreateMixin,
    ReadLoggedMixin,
    RevisionMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A clinic's clients. Clients are archived, never deleted."""

    serializer_class = ClientSerializer
    revision_noun = "client"
    access_record_type = AccessEvent.RecordType.CLIENT
    filter_backends = [filters.DjangoFilterBackend, ClientWordSearch]
    search_fields = ["first_name", "last_name", "preferred_name", "email", "phone"]  # the docs'
    filterset_class = ClientFilter
    pagination_class = ClientsByName

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no user
            return Client.objects.none()
        return clients_for(require_practitioner(self.request))

    def perform_create(self, serializer):
        serializer.save(clinic=require_practitioner(self.request).clinic)

    def update(self, request, *args, **kwargs):
        self.refuse_stale(self.get_object())
        return super().update(request, *args, **kwargs)

    def get_object(self):
        if not hasattr(self, "_client"):
            self._client = super().get_object()
        return self._client

    def client_of(self, client):
        return client

    @transaction.atomic
    def perform_update(self, serializer):
        # The body's fields go onto the client as saved now, read under the lock: a
        # change someone made meanwhile to another field is kept.
        serializer.instance = self.locked()
        serializer.save()

    def locked(self):
        return locked_current(
            Client,
            self.get_object().pk,
            expected_revision=self.expected_revision(),
            noun=self.revision_noun,
        )

    @revision_checked(ClientSerializer, request=None)
    @idempotent
    @action(detail=True, methods=["post"])
    @transaction.atomic
    def archive(self, request, pk=None):
        client = self.locked()
        client.archive()
        return Response(self.get_serializer(client).data)

    @revision_checked(ClientSerializer, request=None)
    @idempotent
    @action(detail=True, methods=["post"])
    @transaction.atomic
    def restore(self, request, pk=None):
        client = self.locked()
        client.restore()
        return Response(self.get_serializer(client).data)
