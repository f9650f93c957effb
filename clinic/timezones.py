"""Times are stored in UTC and shown in the clinic's zone (DJANGO_TIME_ZONE by default)."""

import zoneinfo

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication

from . import api_tokens
from .access import practitioner_for


def zone_of(clinic) -> zoneinfo.ZoneInfo | None:
    """The clinic's own zone; None for DJANGO_TIME_ZONE (none set, or a mistyped one in
    the admin)."""
    if clinic is not None and clinic.time_zone:
        try:
            return zoneinfo.ZoneInfo(clinic.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return None


def activate_clinic_zone(user):
    practitioner = practitioner_for(user) if user is not None else None
    zone = zone_of(practitioner.clinic if practitioner else None)
    timezone.deactivate()
    if zone is not None:
        timezone.activate(zone)


class ClinicTimezoneMiddleware:
    """For the pages, and API calls made with the browser session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        activate_clinic_zone(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()  # a thread's next request (or test) starts from the default


class ClinicTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>` with an unexpired API token (clinic/api_tokens.py).
    Token clients are only known once DRF authenticates them, after the middleware, so
    the clinic's zone is activated here."""

    def authenticate_credentials(self, key):
        token = api_tokens.authenticate(key)
        activate_clinic_zone(token.user)
        return token.user, token
