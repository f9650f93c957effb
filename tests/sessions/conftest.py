"""Fixtures for the session page tests."""

import pytest
from django.urls import reverse

from sessions.models import TreatmentSession

from ..factories import ClientFactory
from .page_support import session_form


@pytest.fixture
def create_url(client_record):
    return reverse("sessions:session-create", args=[client_record.pk])


@pytest.fixture
def pregnant_client(practitioner):
    return ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])


@pytest.fixture
def recorded_session(as_practitioner, catalogue, create_url):
    """A draft recorded through the page by the practitioner: LI4 and GB20, pain 7 → 3."""
    response = as_practitioner.post(create_url, session_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    return TreatmentSession.objects.get()
