"""Failed logins counted per username and per address, in the database so every app
server sees them. Used by the web login and the API token endpoint alike."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import LoginFailure

TOO_MANY = "Too many failed logins. Try again in a few minutes."


def client_ip(request):
    return request.META.get("REMOTE_ADDR")


def too_many_failures(username, ip):
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    failures = LoginFailure.objects.filter(at__gte=since).filter(
        Q(username=username[:150]) | Q(ip_address=ip)
    )
    return failures.count() >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username, ip):
    LoginFailure.objects.create(username=username[:150], ip_address=ip)
