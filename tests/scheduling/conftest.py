from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from scheduling.models import AppointmentType, Room


def local_at(day, hour, minute=0):
    """An aware moment at a wall-clock time in the current zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def tomorrow():
    return timezone.localdate() + timedelta(days=1)


@pytest.fixture
def follow_up(practitioner):
    return AppointmentType.objects.create(clinic=practitioner.clinic, name="Follow-up", minutes=45)


@pytest.fixture
def first_visit(practitioner):
    return AppointmentType.objects.create(
        clinic=practitioner.clinic, name="First visit", minutes=60
    )


@pytest.fixture
def room(practitioner):
    return Room.objects.create(clinic=practitioner.clinic, name="Room 1")
