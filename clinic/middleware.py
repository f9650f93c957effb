import zoneinfo

from django.utils import timezone

from .access import practitioner_for


class ClinicTimezoneMiddleware:
    """Show times in the practitioner's clinic zone; they are stored in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        practitioner = practitioner_for(getattr(request, "user", None) or _Anonymous)
        zone_name = practitioner.clinic.time_zone if practitioner else ""
        if zone_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class _Anonymous:
    is_authenticated = False
