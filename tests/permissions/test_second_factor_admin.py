"""No admin page for staff who gave only their password: every admin route (the matrix's
admin rows, opened as their first call opens them) sends them to the code page, or to set
up an app where they have none. The rows themselves log staff in with the code passed."""

from operator import attrgetter
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from ..otp import password_only_login
from .routes import ADMIN_ROWS

STEP_PAGE = {
    "staff_no_code": reverse("clinic:second-factor-verify"),
    "staff_no_app": reverse("clinic:second-factor-setup"),
}
OPEN = {"admin:logout"}  # logging out needs no code


def first_url(row, world):
    call = next(each for each in row.calls if each.method == "get")
    args = [arg(world) if callable(arg) else attrgetter(arg)(world) for arg in call.args]
    return reverse(row.name, args=args), call.body


ASKED = [
    pytest.param(row, "staff_no_code", id=row.name) for row in ADMIN_ROWS if row.name not in OPEN
]
NOT_SET_UP = [  # the same gate: a few rows show it sends to the setup page instead
    pytest.param(row, "staff_no_app", id=f"{row.name}-no-app")
    for row in ADMIN_ROWS
    if row.name in {"admin:index", "admin:login", "admin:clinic_client_changelist"}
]


@pytest.mark.parametrize("row,who", ASKED + NOT_SET_UP)
def test_the_admin_asks_for_the_second_factor_first(row, who, world, http):
    world.who = who
    password_only_login(http, world.user)
    url, body = first_url(row, world)
    response = http.get(url, body or {})
    assert response.status_code == 302, f"{url} as {who}: {response.status_code}"
    location = urlsplit(response["Location"])
    assert location.path == STEP_PAGE[who]
    expected_next = reverse("admin:index") if row.name == "admin:login" else url
    assert parse_qs(location.query)["next"][0].split("?")[0] == expected_next


@pytest.mark.parametrize("who", list(STEP_PAGE))
def test_the_api_answers_403_json(who, world, http):
    world.who = who
    password_only_login(http, world.user)
    response = http.get(reverse("api:point-list"))
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
