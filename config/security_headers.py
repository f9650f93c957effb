"""Headers that tell the browser what a page may never do. The Content-Security-Policy is
django-csp's (settings.CONTENT_SECURITY_POLICY); Django's SecurityMiddleware sends
X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy."""

from django.conf import settings


def permissions_policy(features) -> str:
    """`camera=(), microphone=()`: each feature named is allowed to no origin at all."""
    return ", ".join(f"{feature}=()" for feature in features)


class PermissionsPolicyMiddleware:
    """Every answer denies the browser features in settings.PERMISSIONS_POLICY_DENIED."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
