"""The API, for each user: see routes.py for the rows."""

import pytest

from .conftest import cases
from .routes import API_ROWS
from .support import run


@pytest.mark.parametrize("row,who", cases(API_ROWS))
def test_api(row, who, world, http):
    run(row, who, world, http)
