"""What a request gets when the server fails or the path is wrong: a plain page, or JSON
under /api/. A database that cannot be reached is a 503 (try again shortly), not a 500; the
next request connects afresh, so the app recovers by itself when the database is back.
Answers that may carry health data are never stored by a browser or a proxy."""

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views import defaults

UNAVAILABLE = (
    "The clinic database cannot be reached just now. Nothing was saved. Try again in a minute."
)
FAILED = "Something went wrong on the server. The error has been logged."


def database_unreachable(error) -> bool:
    # OperationalError covers a refused or lost connection and a statement timeout;
    # InterfaceError a connection closed under us. Other DatabaseErrors are bugs (500).
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request):
    error = sys.exc_info()[1]
    status, message = (503, UNAVAILABLE) if database_unreachable(error) else (500, FAILED)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=status)
    else:
        template = "503.html" if status == 503 else "500.html"
        # Without the request, so no context processor touches the database.
        response = HttpResponse(render_to_string(template, {"message": message}), status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception):
    if is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        message, status = "The request body is too large.", 413
    else:
        message, status = "Bad request.", 400
    if is_api(request):
        return JsonResponse({"detail": message}, status=status)
    response = defaults.bad_request(request, exception)
    response.status_code = status
    return response


class NoStoreMiddleware:
    """Pages and API answers for a logged-in user (or any API answer) are not kept in any
    cache: a shared computer's browser history or a proxy must not hold client records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if is_api(request) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
