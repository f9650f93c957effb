"""The pages and the account pages, for each user: see routes.py for the rows."""

import pytest

from .conftest import cases
from .routes import ACCOUNT_ROWS, PAGE_ROWS
from .support import run


@pytest.mark.parametrize("row,who", cases(PAGE_ROWS + ACCOUNT_ROWS))
def test_page(row, who, world, http):
    run(row, who, world, http)
