"""A login lasts at most SESSION_ABSOLUTE_SECONDS (12 hours by default), however active the
practitioner is; the 30-minute idle limit (SESSION_COOKIE_AGE) applies as well. A login
left open on a shared computer past its day ends by itself."""

import time

from django.conf import settings
from django.contrib.auth import logout

STARTED = "login_started_at"


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.setdefault(STARTED, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)  # the request goes on as an anonymous visitor's
        return self.get_response(request)
