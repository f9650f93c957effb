"""The admin, for each kind of user: see routes_admin.py for the rows."""

import pytest

from .conftest import cases
from .routes import ADMIN_ROWS
from .support import run


@pytest.mark.parametrize("row,who", cases(ADMIN_ROWS))
def test_admin(row, who, world, http):
    run(row, who, world, http)
