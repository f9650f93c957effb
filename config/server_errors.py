"""What a request gets when the server fails: a plain page, or JSON under /api/. A database
that cannot be reached is a 503 (try again shortly), not a 500; the next request connects
afresh, so the app recovers by itself when the database is back."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

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
