"""Times are stored in UTC and shown in the clinic's zone (DJANGO_TIME_ZONE by default)."""

import zoneinfo

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication

from . import api_tokens
from .access import practitioner_for


def activate_clinic_zone(user):
    practitioner = practitioner_for(user) if user is not None else None
    zone_name = practitioner.clinic.time_zone if practitioner else ""
    timezone.deactivate()
    if zone_name:
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone_name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass  # a mistyped zone in the admin falls back to DJANGO_TIME_ZONE


class ClinicTimezoneMiddleware:
    """For the pages, and API calls made with the browser session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        activate_clinic_zone(getattr(request, "user", None))
        return self.get_response(request)


class ClinicTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>` with an unexpired API token (clinic/api_tokens.py).
    Token clients are only known once DRF authenticates them, after the middleware, so
    the clinic's zone is activated here."""

    def authenticate_credentials(self, key):
        token = api_tokens.authenticate(key)
        activate_clinic_zone(token.user)
        return token.user, token
