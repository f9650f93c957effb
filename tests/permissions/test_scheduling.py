"""Issue 15's diary pages and API, for each user: see routes_scheduling_*.py."""

import pytest

from .conftest import cases
from .routes import SCHEDULING_ROWS
from .support import run


@pytest.mark.parametrize("row,who", cases(SCHEDULING_ROWS))
def test_scheduling_route(row, who, world, http):
    run(row, who, world, http)
