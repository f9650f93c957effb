import pytest
from rest_framework.test import APIClient

from .support import World


@pytest.fixture
def world(request, db):
    return World(request)


@pytest.fixture
def http():
    return APIClient()


def cases(rows):
    return [pytest.param(row, who, id=f"{row.name}-{who}") for row in rows for who in row.users]
