"""Failed logins counted per username and per address, in the database so every app
server sees them. Used by the web login and the API token endpoint alike."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .models import LoginFailure

TOO_MANY = "Too many failed logins. Try again in a few minutes."


def client_ip(request):
    return request.META.get("REMOTE_ADDR")


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def too_many_failures(username, ip):
    """A few tries per account; more per address, since a whole clinic may share one."""
    counts = LoginFailure.objects.filter(at__gte=_window_start()).aggregate(
        for_username=Count("pk", filter=Q(username=username[:150])),
        for_address=Count("pk", filter=Q(ip_address=ip)),
    )
    return (
        counts["for_username"] >= settings.LOGIN_FAILURE_LIMIT
        or counts["for_address"] >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    )


def record_failure(username, ip):
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=username[:150], ip_address=ip)
