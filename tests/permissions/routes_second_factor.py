"""Issue 11: the permission matrix rows for the second factor's pages; routes.py adds ROWS
to MATRIX. Who: a practitioner without one (the owner, whose clinic does not ask for it),
a user without a profile, staff who passed it ("staff": staff always have one), staff who
gave only their password ("staff_no_code") or have none set up yet ("staff_no_app"), and
an anonymous visitor. Setting up, checking codes and removing are tested in
tests/clinic/test_second_factor_*.py; here, who reaches which page."""

from urllib.parse import urlsplit

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from clinic import second_factor

from ..otp import RECOVERY_CODES, code_for
from .support import LOGIN, Row, get, post

PASSWORD = {"password": "correct-horse-battery"}


def pages(name, *calls):
    return Row(name, "page", calls)


def sent_to(name):
    def check(w, response):
        if response.status_code == 302:
            assert urlsplit(response["Location"]).path == reverse(name), response["Location"]

    return check


def sent_on(expected):
    """A 302 goes where each user is sent: `expected` maps a user to a route name."""

    def check(w, response):
        if w.who in expected:
            sent_to(expected[w.who])(w, response)

    return check


TO_VERIFY = "clinic:second-factor-verify"
TO_SETUP = "clinic:second-factor-setup"
DASHBOARD = "clinic:dashboard"


def right_code(w):
    device = second_factor.authenticator(w.user) if w.user else None
    return {"code": code_for(device) if device else "123456"}


def passed(w, response):
    sent_on({"owner": DASHBOARD, "staff": DASHBOARD, "staff_no_app": TO_SETUP})(w, response)
    if w.who == "staff_no_code":
        assert response["Location"] == reverse(DASHBOARD)
        assert second_factor.authenticator(w.user).last_used_at is not None


def codes_replaced(w, response):
    assert len(response.context["codes"]) == second_factor.RECOVERY_CODE_COUNT
    left = set(StaticToken.objects.filter(device__user=w.user).values_list("token", flat=True))
    assert left.isdisjoint(RECOVERY_CODES) and len(left) == second_factor.RECOVERY_CODE_COUNT


ROWS = [
    pages(
        "clinic:second-factor-verify",
        get(
            (),
            {
                "owner": 302,  # nothing to verify: on to the page asked for
                "no_profile": 302,
                "staff": 302,
                "staff_no_code": 200,
                "staff_no_app": 302,
                "anonymous": LOGIN,
            },
            check=sent_on({"owner": DASHBOARD, "staff": DASHBOARD, "staff_no_app": TO_SETUP}),
        ),
        post(
            (),
            {
                "owner": 302,
                "staff": 302,
                "staff_no_code": 302,
                "staff_no_app": 302,
                "anonymous": LOGIN,
            },
            body=right_code,
            check=passed,
            effect=frozenset({"staff_no_code"}),  # the app's last use and code step
        ),
    ),
    pages(
        "clinic:second-factor-setup",
        get(
            (),
            {
                "owner": 200,
                "no_profile": 200,
                "staff": 200,  # to replace the app
                "staff_no_code": 302,
                "staff_no_app": 200,
                "anonymous": LOGIN,
            },
            check=sent_on({"staff_no_code": TO_VERIFY}),
        ),
        # A code that does not match the key shown: nothing is set up, for anyone.
        post(
            (),
            {"owner": 200, "staff_no_code": 302, "staff_no_app": 200, "anonymous": LOGIN},
            body={"code": "not-a-code"},
            check=sent_on({"staff_no_code": TO_VERIFY}),
            effect=frozenset(),
        ),
    ),
    pages(
        "clinic:second-factor-recovery-codes",
        get(
            (),
            {
                "owner": 302,  # none set up: to the setup page
                "no_profile": 302,
                "staff": 200,
                "staff_no_code": 302,
                "staff_no_app": 302,
                "anonymous": LOGIN,
            },
            check=sent_on(
                {"owner": TO_SETUP, "staff_no_code": TO_VERIFY, "staff_no_app": TO_SETUP}
            ),
        ),
        post(
            (),
            {"owner": 302, "staff": 200, "staff_no_code": 302, "anonymous": LOGIN},
            body=PASSWORD,
            check=lambda w, r: codes_replaced(w, r) if w.who == "staff" else None,
            effect=frozenset({"staff"}),
        ),
    ),
    pages(
        "clinic:second-factor-remove",
        get(
            (),
            {"owner": 302, "staff": 200, "staff_no_code": 302, "anonymous": LOGIN},
            check=sent_on({"owner": TO_SETUP, "staff_no_code": TO_VERIFY}),
        ),
        # Staff always need one: refused, whatever the code.
        post(
            (),
            {"owner": 302, "staff": 403, "staff_no_code": 302, "anonymous": LOGIN},
            body=right_code,
            check=sent_on({"owner": TO_SETUP, "staff_no_code": TO_VERIFY}),
            effect=frozenset(),
        ),
    ),
]
