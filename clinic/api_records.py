"""For API records written through services and frozen once final (a signed session, an
issued sheet), and for every record that carries a revision (ETag and If-Match)."""

import re

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from .access import require_practitioner
from .access_log import API, record_view
from .revisions import StaleEdit

REVISION = re.compile(r"[0-9]{1,10}")
IF_MATCH_HELP = (
    "The ETag of the record as you last read it. The write is made only if the record is "
    "still at that revision; otherwise the answer is 412 with the current revision."
)


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, location=OpenApiParameter.HEADER, description=IF_MATCH_HELP
)
STALE_RESPONSE = inline_serializer(
    "StaleRevision",
    {"detail": serializers.CharField(), "current_revision": serializers.IntegerField()},
)


def revision_checked(serializer=None, *, status=200, **kwargs):
    """The schema of a write that takes If-Match: its answer, or 412 when stale."""
    return extend_schema(
        parameters=[IF_MATCH],
        responses={status: serializer, 412: STALE_RESPONSE},
        **kwargs,
    )


def if_match_revision(request) -> int | None:
    """The revision named by the request's If-Match header (`"7"`), or None without one."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    tags = [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")]
    if len(tags) != 1 or not REVISION.fullmatch(tags[0]):
        raise ValidationError({"If-Match": 'Send one ETag from this API, such as "7".'})
    return int(tags[0])


class RevisionMixin:
    """A detail answer carries the record's revision as its ETag; a write sent with
    If-Match is made only over that revision (412 otherwise). `revision_noun` names the
    record in the 412's message."""

    revision_noun = "record"

    def expected_revision(self) -> int | None:
        return if_match_revision(self.request) if self.request is not None else None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "expected_revision": self.expected_revision()}

    def refuse_stale(self, record) -> None:
        """The early check, before validating the body; services check again under lock."""
        expected = self.expected_revision()
        if expected is not None and record.revision != expected:
            raise StaleEdit(record, self.revision_noun)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if 200 <= response.status_code < 300 and isinstance(data, dict) and "revision" in data:
            response["ETag"] = f'"{data["revision"]}"'
        return response


class ReadLoggedMixin:
    """A detail read (GET) writes one access log entry: the record's kind
    (`access_record_type`), its id and its client (`client_of`), never its data."""

    access_record_type = ""

    def client_of(self, record):
        return record.client

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        data = self.get_serializer(record).data
        record_view(
            request,
            client=self.client_of(record),
            record_type=self.access_record_type,
            record_id=record.pk,
            detail=API,
        )
        return Response(data)


class ServiceWrittenRecordMixin(RevisionMixin):
    """Answers a write with the saved record as the list shows it (its relations loaded
    onto the instance the service returned, not fetched again), and refuses an update of a
    final record before validating, so the answer is about that."""

    final_message = ""

    def is_final(self, record) -> bool:
        raise NotImplementedError

    def refuse_edit(self, record) -> None:
        """PermissionDenied when the requesting practitioner may not edit the record (the
        record kind's rule), before the body is validated; the service checks again."""

    def with_relations(self, record):
        """The record with what the serializer shows of its relations loaded."""
        raise NotImplementedError

    def get_object(self):
        if not hasattr(self, "_record"):
            self._record = super().get_object()
        return self._record

    def perform_create(self, serializer):
        serializer.save(practitioner=require_practitioner(self.request))
        serializer.instance = self.with_relations(serializer.instance)

    def perform_update(self, serializer):
        serializer.instance = self.with_relations(serializer.save())

    def update(self, request, *args, **kwargs):
        record = self.get_object()
        self.refuse_edit(record)
        if self.is_final(record):
            raise ValidationError(self.final_message)
        self.refuse_stale(record)
        return super().update(request, *args, **kwargs)


def as_field_errors(error: ValidationError) -> serializers.ValidationError:
    """A rule's ValidationError as DRF's, keyed by the same fields, for a nested row."""
    return serializers.ValidationError(
        error.message_dict if hasattr(error, "error_dict") else error.messages
    )
