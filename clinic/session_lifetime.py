"""How long a login lasts.

A login ends after 30 minutes without a request (SESSION_COOKIE_AGE) and after 12 hours
whatever the activity (SESSION_ABSOLUTE_SECONDS, 12 hours by default): a login left open on
a shared computer past its day ends by itself.

The idle limit is kept without a database write on every request: the session's expiry is
pushed back at most once a minute (REFRESH_SECONDS), so an idle login ends between 29 and
30 minutes after its last request. Writing the session row on every page view serialised
all page views on SQLite.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

STARTED = "login_started_at"
REFRESHED = "expiry_refreshed_at"
REFRESH_SECONDS = 60


def note_login(sender, request, user, **kwargs):
    """Starts both clocks at login, so the pages after it write no session for a minute."""
    if hasattr(request, "session"):
        request.session[STARTED] = request.session[REFRESHED] = time.time()


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.setdefault(STARTED, time.time())  # logins before note_login
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)  # the request goes on as an anonymous visitor's
        return self.get_response(request)


class IdleExpiryMiddleware:
    """Marks a live session modified once a minute, so SessionMiddleware (which answers
    after this one) saves it with a fresh expiry and cookie. A session saved anyway (a
    login, a message) starts the minute again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = time.time()
            if session.modified or now - session.get(REFRESHED, 0) >= REFRESH_SECONDS:
                session[REFRESHED] = now
        return response
