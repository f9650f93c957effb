import pytest
from django.core.management import call_command


@pytest.fixture
def catalogue(db):
    """The shipped catalogue, loaded as `make run` loads it."""
    call_command("load_catalogue", verbosity=0)
