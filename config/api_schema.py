"""The API's error answers, documented on every operation at once in the OpenAPI schema:
each is JSON of one shape, `{"detail": "..."}`, or field errors for a 400 (a field's name,
or `non_field_errors`, with a list of messages; nested as the body is). An operation's own
documented answer for a status wins over these."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in plain English.")

    class Meta:
        ref_name = "Error"


FIELD_ERRORS = {
    "type": "object",
    "description": (
        'Field errors: each field\'s name (or "non_field_errors") with a list of messages, '
        'nested as the body is; or "detail" for a body that cannot be read.'
    ),
    "additionalProperties": {},
}


def error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


class ClinicAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, response in self.error_responses().items():
            if status not in responses:
                responses[status] = self._get_response_for_code(response, status, None, direction)
        return responses

    def error_responses(self):
        # Imported here: this class is DRF's DEFAULT_SCHEMA_CLASS, loaded as DRF's views are.
        from clinic.idempotency import HEADER as IDEMPOTENCY_KEY

        view, method = self.view, self.method
        has_body = method in ("POST", "PUT", "PATCH")
        errors = {
            "400": OpenApiResponse(
                FIELD_ERRORS,
                description="Bad input: a field, a query parameter or an address that cannot "
                "be used (a NUL, for one), or a body that is not valid JSON.",
            )
        }
        if view.get_authenticators():
            errors["401"] = error("No valid token: log in again.")
        if any(not isinstance(permission, AllowAny) for permission in view.get_permissions()):
            errors["403"] = error("This account may not do this.")
        if "{" in self.path or (method == "GET" and self._is_list_view()):
            errors["404"] = error("No such record here, or no such page of the list.")
        if has_body:
            errors["413"] = error("The request body is too large.")
            errors["415"] = error("The body is not JSON, a form or multipart data.")
        if any(parameter.get("name") == IDEMPOTENCY_KEY for parameter in self._get_parameters()):
            errors["409"] = error("A request with this Idempotency-Key is still being answered.")
            errors["422"] = error("This Idempotency-Key was used for another request.")
        if view.get_throttles():
            errors["429"] = error("Too many requests: try again later.")
        errors["503"] = error("The database cannot be reached just now: try again shortly.")
        return errors
