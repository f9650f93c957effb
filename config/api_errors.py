from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from clinic.revisions import StaleEdit


def exception_handler(exc, context):
    """DRF's handler, plus model validation errors turned into field errors, and an edit
    over an older revision into 412 Precondition Failed with the current revision."""
    if isinstance(exc, StaleEdit):
        revision = exc.current.revision
        body = {"detail": exc.api_message, "current_revision": revision}
        return Response(body, status=412, headers={"ETag": f'"{revision}"'})
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)
