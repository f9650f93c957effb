"""The project's URLconf plus one route the matrix has no row for."""

from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("", include("config.urls")),
    path("matrix-dummy/", lambda request: HttpResponse(), name="matrix-dummy"),
]
