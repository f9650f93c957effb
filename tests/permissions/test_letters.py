"""Issue 12's referral letter pages and API, for each user: see routes_letters.py."""

import pytest

from .conftest import cases
from .routes import LETTER_ROWS
from .support import run


@pytest.mark.parametrize("row,who", cases(LETTER_ROWS))
def test_letter_route(row, who, world, http):
    run(row, who, world, http)
