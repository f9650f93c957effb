"""The API docs page: drf-spectacular's Swagger UI, from the sidecar's static files. Under
the site's Content-Security-Policy its init script carries the request's nonce
(templates/drf_spectacular/swagger_ui.html)."""

from django.conf import settings
from drf_spectacular.views import SpectacularSwaggerView


class ApiDocsView(SpectacularSwaggerView):
    """With the site's Cross-Origin-Opener-Policy: the package relaxes it to unsafe-none for
    OAuth2 login popups, and this API has no OAuth2."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
        return response
