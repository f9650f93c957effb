"""Appointments API: the clinic's diary, booked, moved and marked through the rule book
(booking.py), as the pages and the calendar are, so they refuse the same things with the
same words.

- A clash is a 400 naming it, under "practitioner" or "room".
- A slot outside the practitioner's working hours (or in their time off) is a 400 under
  "confirm_outside_hours", until the request is sent again with it true.
- An edit carries If-Match (the detail's ETag): over a newer revision it is a 412.
- Appointments are cancelled (the status action), never deleted.
- Times are answered in the clinic's zone, with their offset.

The types, rooms and working hours are in api_setup.py, the treatment plans in
api_plans.py."""

from datetime import UTC, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from clinic.access import clients_for_request, practitioner_for, practitioners_of
from clinic.access import require_practitioner as requester
from clinic.access_log import AccessEvent
from clinic.api_records import ReadLoggedMixin, RevisionMixin, as_field_errors, revision_checked
from clinic.idempotency import IdempotentCreateMixin, idempotent
from clinic.models import Client
from clinic.revisions import StaleEdit

from . import booking
from .models import Appointment, AppointmentType, Room

NOT_FOUND = "Not found in this clinic."
SEND_CONFIRMED = 'Send the request again with "confirm_outside_hours": true to book it anyway.'
MAX_RANGE = timedelta(days=366)
SCOPES = {  # a related field's name: its clinic's records, by the clinic's id
    "client": Client.objects.for_clinic,
    "practitioner": practitioners_of,
    "appointment_type": AppointmentType.objects.for_clinic,
    "room": Room.objects.for_clinic,
}


def in_clinic(**kwargs):
    """An id of one of the requesting practitioner's clinic's records (ClinicScoped sets
    which): any other id, another clinic's included, is "not found"."""
    messages = {"does_not_exist": NOT_FOUND, "incorrect_type": "Give the record's id."}
    return serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.none(), error_messages=messages, **kwargs
    )


class ClinicScoped:
    """For a serializer: its related fields (by SCOPES) reach only the requesting
    practitioner's clinic's records; without a practitioner (schema generation), none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        practitioner = practitioner_for(request.user) if request is not None else None
        clinic_id = practitioner.clinic_id if practitioner else None  # None: no records
        for name, field in self.fields.items():
            if name in SCOPES and not field.read_only:
                field.queryset = SCOPES[name](clinic_id)

    @property
    def actor(self):
        """The requesting practitioner."""
        return requester(self.context["request"])


def confirming(write):
    """The write, with the rule book's NeedsConfirmation answered under the field that
    confirms it."""
    try:
        return write()
    except booking.NeedsConfirmation as needs:
        raise serializers.ValidationError(
            {"confirm_outside_hours": [*needs.reasons, SEND_CONFIRMED]}, code="outside_hours"
        ) from needs


CONFIRM_HELP = (
    "Book even though it is outside the practitioner's working hours or in their time off. "
    "Without it such a booking is refused (400) under this field, saying why."
)


class AppointmentSerializer(ClinicScoped, serializers.ModelSerializer):
    client = in_clinic(help_text="One of the clinic's clients; it cannot change.")
    client_name = serializers.CharField(source="client.display_name", read_only=True)
    practitioner = in_clinic(required=False, help_text="Who sees the client; left out, you.")
    practitioner_name = serializers.CharField(source="practitioner.display_name", read_only=True)
    appointment_type = in_clinic(
        required=False, allow_null=True, help_text="Its length sets the end when none is given."
    )
    room = in_clinic(required=False, allow_null=True, help_text="One of the clinic's rooms.")
    ends_at = serializers.DateTimeField(
        required=False,
        help_text="Left out: the start plus the type's length when booking; when moving, the "
        "appointment keeps its length.",
    )
    minutes = serializers.IntegerField(read_only=True)
    confirm_outside_hours = serializers.BooleanField(
        write_only=True, default=False, help_text=CONFIRM_HELP
    )
    revision = serializers.IntegerField(
        read_only=True, help_text="Raised by every change; the ETag of the detail answer."
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "client",
            "client_name",
            "practitioner",
            "practitioner_name",
            "appointment_type",
            "room",
            "starts_at",
            "ends_at",
            "minutes",
            "status",
            "cancel_reason",
            "notes",
            "plan",
            "plan_number",
            "session",
            "confirm_outside_hours",
            "created_at",
            "created_by",
            "revision",
        ]
        read_only_fields = [
            "status",
            "cancel_reason",
            "plan",
            "plan_number",
            "session",
            "created_at",
            "created_by",
        ]

    def validate_client(self, client):
        if self.instance is not None and client.pk != self.instance.client_id:
            raise serializers.ValidationError("An appointment's client cannot change.")
        return client

    def validate_starts_at(self, starts_at):
        """Here as well as in the rule book: a move keeps its length from this start."""
        try:
            booking.refuse_far_start(starts_at)
        except ValidationError as far:
            raise serializers.ValidationError(far.messages) from far
        return starts_at

    def create(self, data):
        return confirming(
            lambda: booking.book_appointment(
                client=data["client"],
                practitioner=data.get("practitioner", self.actor),
                starts_at=data["starts_at"],
                ends_at=data.get("ends_at"),
                appointment_type=data.get("appointment_type"),
                room=data.get("room"),
                notes=data.get("notes", ""),
                booked_by=self.actor,
                confirm_outside_hours=data.get("confirm_outside_hours", False),
            )
        )

    def update(self, appointment, data):
        """PUT and PATCH alike: what is left out keeps the value saved when the rule book
        takes the lock; a new start without an end keeps the appointment's length."""
        given = {name: data[name] for name in MOVABLE if name in data}
        if "starts_at" in given and "ends_at" not in given:
            given["ends_at"] = given["starts_at"] + (appointment.ends_at - appointment.starts_at)
        return confirming(
            lambda: booking.change_appointment(
                appointment=appointment,
                changed_by=self.actor,
                expected_revision=self.context["expected_revision"],
                confirm_outside_hours=data.get("confirm_outside_hours", False),
                **given,
            )
        )


# What an edit may change, passed to booking.change_appointment by name when given.
MOVABLE = ["starts_at", "ends_at", "practitioner", "room", "appointment_type", "notes"]


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Appointment.Status.choices)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="Why it is cancelled: needed to cancel, ignored otherwise.",
    )


def practitioners_for_request(request):
    practitioner = practitioner_for(request.user) if request is not None else None
    return practitioners_of(practitioner.clinic_id if practitioner else None)


# The widest offsets in use (UTC-12 to UTC+14); Python takes up to 24 hours, PostgreSQL
# refuses past 15:59 (a 500), and year 1 or 9999 can fall off the calendar in UTC.
WIDEST_OFFSET = timedelta(hours=14)


class RangeForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for name in ("starts_after", "starts_before"):
            moment = cleaned.get(name)
            if moment is None:
                continue
            offset = moment.utcoffset()
            if offset is not None and abs(offset) > WIDEST_OFFSET:
                self.add_error(name, "Give an offset from UTC between -14:00 and +14:00.")
                continue
            try:
                moment.astimezone(UTC)
            except OverflowError:
                self.add_error(name, "Give a moment between the years 1 and 9999 in UTC.")
        after, before = cleaned.get("starts_after"), cleaned.get("starts_before")
        if after and before:
            if before <= after:
                self.add_error("starts_before", "The end of the range must be after its start.")
            elif before - after > MAX_RANGE:
                self.add_error("starts_before", "Ask for a year at most at a time.")
        return cleaned


class AppointmentFilter(filters.FilterSet):
    practitioner = filters.ModelChoiceFilter(
        queryset=practitioners_for_request, label="Practitioner id"
    )
    client = filters.ModelChoiceFilter(queryset=clients_for_request, label="Client id")
    status = filters.MultipleChoiceFilter(choices=Appointment.Status.choices, label="Status")
    starts_after = filters.IsoDateTimeFilter(
        field_name="starts_at",
        lookup_expr="gte",
        label="Starting at or after this moment (ISO 8601, with its offset)",
    )
    starts_before = filters.IsoDateTimeFilter(
        field_name="starts_at",
        lookup_expr="lt",
        label="Starting before this moment (ISO 8601; a year at most after starts_after)",
    )

    class Meta:
        model = Appointment
        fields = ["practitioner", "client", "status", "starts_after", "starts_before"]
        form = RangeForm


def as_body_errors(error: ValidationError) -> serializers.ValidationError:
    """The rule book names the cancel reason by its column; the status body calls it
    `reason`."""
    errors = as_field_errors(error).detail
    if isinstance(errors, dict) and "cancel_reason" in errors:
        errors["reason"] = errors.pop("cancel_reason")
    return serializers.ValidationError(errors)


class EarliestFirst(CursorPagination):
    """Pages of the clinic's appointments, earliest first, each read off the (clinic,
    starts_at) index; no total, since counting every appointment the clinic ever had grows
    with it (as the sessions' and sheets' lists). Follow `next` for later ones."""

    page_size = 25
    ordering = ("starts_at", "id")


@extend_schema_view(
    update=revision_checked(AppointmentSerializer),
    partial_update=revision_checked(AppointmentSerializer),
)
class AppointmentViewSet(
    IdempotentCreateMixin,
    ReadLoggedMixin,
    RevisionMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The clinic's appointments, earliest first. Booked, moved and edited while open
    (booked or arrived); marked arrived, no-show, completed or cancelled with the status
    action; never deleted."""

    serializer_class = AppointmentSerializer
    pagination_class = EarliestFirst
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = AppointmentFilter
    revision_noun = "appointment"
    access_record_type = AccessEvent.RecordType.APPOINTMENT

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appointment.objects.none()
        clinic_id = requester(self.request).clinic_id
        return Appointment.objects.for_clinic(clinic_id).select_related("client", "practitioner")

    def get_object(self):
        if not hasattr(self, "_appointment"):
            self._appointment = super().get_object()
        return self._appointment

    def update(self, request, *args, **kwargs):
        self.refuse_stale(self.get_object())
        return super().update(request, *args, **kwargs)

    @revision_checked(AppointmentSerializer, request=StatusSerializer)
    @idempotent
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def change_status(self, request, pk=None):
        """Mark the appointment arrived, no-show, completed or cancelled (with a reason), or
        back to booked from arrived or no-show. With If-Match, only over that revision."""
        appointment = self.get_object()
        change = StatusSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        try:
            changed = booking.set_status(
                appointment=appointment,
                changed_by=requester(request),
                status=change.validated_data["status"],
                reason=change.validated_data["reason"],
                expected_revision=self.expected_revision(),
            )
        except ValidationError as error:
            if isinstance(error, StaleEdit):
                raise
            raise as_body_errors(error) from error
        return Response(self.get_serializer(changed).data)
