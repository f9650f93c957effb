"""The account page, for any logged-in user (practitioner or not): the API tokens they have,
each revoked with a POST, and their second factor (templates/clinic/_account_second_factor.html)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from .. import api_tokens
from ..api_tokens import ApiToken


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "clinic/account.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tokens=ApiToken.objects.of(self.request.user),
            token_days=settings.API_TOKEN_DAYS,
            **kwargs,
        )


class TokenRevokeView(LoginRequiredMixin, View):
    """Revoke one of your own tokens; another user's is a 404."""

    http_method_names = ["post"]

    def post(self, request, pk):
        token = get_object_or_404(ApiToken.objects.of(request.user), pk=pk)
        api_tokens.revoke(token=token, request=request)
        messages.success(request, f"Revoked the token for “{token.device}”: it no longer works.")
        return redirect("clinic:account")
