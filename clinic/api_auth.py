"""The API's login and its tokens: a token per login and device (`POST auth/token/`), one's
own tokens listed and revoked (`auth/tokens/`), and logging out the token in use
(`POST auth/logout/`). The rules are in clinic/api_tokens.py."""

from collections.abc import Mapping

from django.contrib.auth import authenticate
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import api_tokens
from .api_tokens import ApiToken
from .second_factor import refuse_token_login

NOT_CREDENTIALS = "Unable to log in with provided credentials."
NOT_A_TOKEN_LOGIN = (
    "This request was not made with a token, so there is none to log out. Send it with "
    "Authorization: Token <token>, or revoke a token with DELETE /api/v1/auth/tokens/{id}/."
)


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField(write_only=True)
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    device = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=ApiToken._meta.get_field("device").max_length,
        help_text=f'What the token is for, e.g. "Front desk iPad" ("{api_tokens.DEFAULT_DEVICE}"'
        " if left out); shown on the account page, where the token can be revoked.",
    )
    otp = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="The authenticator app's 6-digit code, or a recovery code, for an account "
        "with a second factor.",
    )

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if not user:
            raise ValidationError(NOT_CREDENTIALS, code="authorization")
        return {**attrs, "user": user}


class IssuedTokenSerializer(serializers.ModelSerializer):
    token = serializers.SerializerMethodField(
        help_text="Send it as `Authorization: Token <token>`. Shown this once: only its hash "
        "is kept."
    )

    class Meta:
        model = ApiToken
        fields = ["token", "id", "device", "created_at", "expires_at"]
        read_only_fields = fields

    def get_token(self, token) -> str:
        return self.context["secret"]


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(
        help_text="True for the token this request was made with."
    )

    class Meta:
        model = ApiToken
        fields = ["id", "device", "created_at", "last_used_at", "expires_at", "current"]
        read_only_fields = fields

    def get_current(self, token) -> bool:
        return token.pk == getattr(self.context["request"].auth, "pk", None)


def detail_response(name, description):
    body = inline_serializer(name, {"detail": serializers.CharField()})
    return OpenApiResponse(body, description=description)


TOKEN_NOT_FOUND = detail_response("TokenNotFound", "Not one of your unexpired tokens.")
NOT_LOGGED_IN = detail_response(
    "NotAuthenticated", "No token or login, or a token that has expired or been revoked."
)
LOGIN_ERRORS = OpenApiResponse(
    inline_serializer(
        "TokenLoginErrors",
        {
            name: serializers.ListField(child=serializers.CharField(), required=False)
            for name in ["non_field_errors", "username", "password", "device", "otp"]
        },
    ),
    description="Field errors: a missing field, a device name too long, a wrong username "
    "or password (`non_field_errors`), or a missing or wrong second-factor code (`otp`).",
)


def messages_in(errors) -> list[str]:
    """A field's messages, once each, however the refused body nested them: the login's
    errors are documented as lists of messages (LOGIN_ERRORS)."""
    if isinstance(errors, dict):
        errors = list(errors.values())
    if not isinstance(errors, list):
        return [str(errors)]
    return list(dict.fromkeys(message for error in errors for message in messages_in(error)))


class ObtainTokenView(APIView):
    """Log in for a new API token, named for the device; each login makes a new one, which
    expires after API_TOKEN_DAYS days.

    Throttled by django-axes like every login (clinic/throttle.py): a locked-out account
    or a slowed address is answered 429 with Retry-After.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenLoginSerializer

    @extend_schema(
        request=TokenLoginSerializer,
        responses={
            200: IssuedTokenSerializer,
            400: LOGIN_ERRORS,
            429: detail_response("TooManyLogins", "Too many failed logins: try again later."),
        },
    )
    def post(self, request):
        try:
            data = request.data
        except ValidationError as refused:  # a NUL in the body (the API's parsers)
            raise ValidationError(
                {name: messages_in(errors) for name, errors in refused.detail.items()}
            ) from None
        if not isinstance(data, Mapping):
            raise ValidationError(
                {"non_field_errors": ["Send an object with username and password."]}
            )
        serializer = TokenLoginSerializer(data=data, context={"request": request})
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        login = serializer.validated_data
        refuse_token_login(request=request, user=login["user"], code=login.get("otp") or None)
        token, secret = api_tokens.issue(
            user=login["user"], device=login.get("device", ""), request=request
        )
        return Response(IssuedTokenSerializer(token, context={"secret": secret}).data)


@extend_schema_view(
    list=extend_schema(responses={200: ApiTokenSerializer(many=True), 401: NOT_LOGGED_IN}),
    retrieve=extend_schema(
        responses={200: ApiTokenSerializer, 401: NOT_LOGGED_IN, 404: TOKEN_NOT_FOUND}
    ),
    destroy=extend_schema(responses={204: None, 401: NOT_LOGGED_IN, 404: TOKEN_NOT_FOUND}),
)
class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your own unexpired API tokens, newest first (never their secrets); DELETE revokes
    one. Any logged-in user, practitioner or not; another user's token is a 404."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no user
            return ApiToken.objects.none()
        return ApiToken.objects.of(self.request.user)

    def perform_destroy(self, instance):
        api_tokens.revoke(token=instance, request=self.request)


class LogoutView(APIView):
    """Revoke the token this request is made with."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            204: None,
            400: detail_response("NotATokenLogin", "Made with a browser login, not a token."),
            401: NOT_LOGGED_IN,
        },
    )
    def post(self, request):
        if not isinstance(request.auth, ApiToken):
            raise ValidationError({"detail": NOT_A_TOKEN_LOGIN})
        api_tokens.revoke(token=request.auth, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
