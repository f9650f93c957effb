"""For API records written through services and frozen once final (a signed session, an
issued sheet)."""

from django.core.exceptions import ValidationError
from rest_framework import serializers

from .access import require_practitioner


class ServiceWrittenRecordMixin:
    """Answers a write with the saved record as the list shows it (its relations loaded
    onto the instance the service returned, not fetched again), and refuses an update of a
    final record before validating, so the answer is about that."""

    final_message = ""

    def is_final(self, record) -> bool:
        raise NotImplementedError

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
        if self.is_final(self.get_object()):
            raise ValidationError(self.final_message)
        return super().update(request, *args, **kwargs)


def as_field_errors(error: ValidationError) -> serializers.ValidationError:
    """A rule's ValidationError as DRF's, keyed by the same fields, for a nested row."""
    return serializers.ValidationError(
        error.message_dict if hasattr(error, "error_dict") else error.messages
    )
