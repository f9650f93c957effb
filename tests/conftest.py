"""The cast: a practitioner, a colleague, an outsider, a user without a profile."""

import pytest
from django.test.client import ClientMixin
from rest_framework.test import APIClient

from clinic.models import Practitioner

from . import otp
from .factories import ClientFactory, PractitionerFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def practitioner(db):
    return PractitionerFactory(user__username="ana", display_name="Ana Duarte")


@pytest.fixture
def colleague(practitioner):
    return PractitionerFactory(user__username="ben", clinic=practitioner.clinic)


@pytest.fixture
def clinic_manager(practitioner):
    return PractitionerFactory(
        user__username="dora", clinic=practitioner.clinic, role=Practitioner.Role.MANAGER
    )


@pytest.fixture
def outsider(db):
    return PractitionerFactory(user__username="chen")


@pytest.fixture
def no_profile_user(db):
    return UserFactory(username="visitor")


@pytest.fixture
def client_record(practitioner):
    return ClientFactory(clinic=practitioner.clinic, first_name="Margaret", last_name="Hale")


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def as_practitioner(client, practitioner):
    return logged_in(client, practitioner.user)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as_practitioner(api, practitioner):
    api.force_authenticate(practitioner.user)
    return api


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a kept fragment from an earlier test (whose
    rows had the same ids) is never served to the next one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is the real hasher (see test_settings); tests don't need its cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def flag_vocabulary(request):
    """The flag vocabulary is seeded by a migration, as reference data; a transactional
    test's flush (a browser test's live server) empties it for the tests after it. So a
    test with the database finds it there, as every real database has it."""
    wants_db = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if not wants_db:
        return
    request.getfixturevalue("_django_db_helper")
    from catalogue.loading import LoadReport, load_health_flags
    from catalogue.models import HealthFlag

    if not HealthFlag.objects.exists():
        load_health_flags(LoadReport(), force=False)


@pytest.fixture
def catalogue(db):
    """The shipped catalogue, loaded as `make run` loads it."""
    from django.core.management import call_command

    call_command("load_catalogue", verbosity=0)


@pytest.fixture(autouse=True)
def logins_pass_the_second_factor(monkeypatch):
    """force_login is a whole login: an account that has or needs a second factor has
    passed it too (tests/otp.py; `otp.password_only_login` stops after the password)."""
    monkeypatch.setattr(ClientMixin, "force_login", otp.force_login_passing_second_factor)
