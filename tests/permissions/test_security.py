"""Issue 11's pages and API routes (lockouts, tokens, second factor, roles, access log,
export), for each user: see the routes_*.py modules for the rows."""

import pytest

from .conftest import cases
from .routes import SECURITY_ROWS
from .support import run


@pytest.mark.parametrize("row,who", cases(SECURITY_ROWS))
def test_security_route(row, who, world, http):
    run(row, who, world, http)
