"""Every route of the URLconf has a row in the matrix, and every row a route."""

from axes.models import AccessAttempt
from django.contrib.admin import AdminSite
from django.test import override_settings

from .routes import MATRIX, coverage, model_rows, route_names


def test_every_route_has_a_row():
    missing, stale = coverage()
    assert missing == set(), f"routes without a row in tests/permissions/routes.py: {missing}"
    assert stale == set(), f"rows for routes that are gone: {stale}"


@override_settings(ROOT_URLCONF="tests.permissions.extra_urls")
def test_a_new_route_is_reported_missing():
    assert coverage() == ({"matrix-dummy"}, set())


def test_a_removed_route_is_reported_stale():
    try:
        MATRIX["gone:route"] = MATRIX["login"]
        assert coverage() == (set(), {"gone:route"})
    finally:
        del MATRIX["gone:route"]


def test_a_newly_registered_model_brings_its_own_rows():
    site = AdminSite(name="matrix")
    site.register(AccessAttempt)  # registered nowhere else (AXES_ENABLE_ADMIN is off)
    served = {name for name in route_names(site.get_urls(), "admin:") if "accessattempt" in name}
    made = {row.name for row in model_rows(AccessAttempt, site._registry[AccessAttempt])}
    views = ("changelist", "add", "change", "delete", "history")
    assert made == served == {f"admin:axes_accessattempt_{view}" for view in views}
