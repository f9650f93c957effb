from datetime import date

import pytest

from ..factories import ClientFactory
from .support import EMERGENCY_SIGN, SAME_DAY_SIGN, session_with


@pytest.fixture
def adult_client(practitioner):
    """Forty-something, no health flags: no caution applies to the session's points."""
    return ClientFactory(
        clinic=practitioner.clinic,
        first_name="Margaret",
        last_name="Hale",
        date_of_birth=date(1981, 5, 1),
        health_flags=[],
    )


@pytest.fixture
def flagged_session(catalogue, adult_client, practitioner):
    """Two warning signs found at check-in: one emergency, one for today."""
    return session_with(adult_client, practitioner, found=[EMERGENCY_SIGN, SAME_DAY_SIGN])


@pytest.fixture
def plain_session(catalogue, adult_client, practitioner):
    return session_with(adult_client, practitioner)
