"""Issue 11: the permission matrix rows for the lockouts page. A clinic manager lists and
clears the lockouts of their own clinic's accounts, the superuser every lockout; any other
practitioner gets 403."""

from axes.models import AccessAttempt
from django.urls import reverse

from clinic.access_log import AccessEvent

from .support import LOGIN, Row, get, post

REFUSED = {
    "owner": 403,
    "colleague": 403,
    "outsider": 403,
    "no_profile": 403,
    "staff": 403,
    "anonymous": LOGIN,
}
MANAGERS = {**REFUSED, "manager": 200, "superuser": 200}


def lock_out(*usernames):
    for username in usernames:
        AccessAttempt.objects.create(
            username=username,
            ip_address="192.0.2.1",
            user_agent="matrix",
            failures_since_start=5,
            get_data="",
            post_data="",
            http_accept="*/*",
            path_info="/accounts/login/",
        )


def lockouts_of_owner_outsider_and_nobody(w):
    """A GET's query (none); locks the owner, the outsider and an unknown username first."""
    w.owner, w.outsider  # noqa: B018 (their accounts must exist)
    lock_out("ana", "chen", "nobody")
    return {}


def owner_locked_out(w):
    lock_out(w.owner.user.username)
    return {"username": "ana"}


def lists_what_they_may_clear(w, response):
    page = response.content.decode()
    listed = [name for name in ("ana", "chen", "nobody") if f'value="{name}"' in page]
    assert listed == (["ana"] if w.who == "manager" else ["ana", "chen", "nobody"])


def cleared_and_logged(w, response):
    assert response["Location"] == reverse("clinic:lockout-list")
    assert not AccessAttempt.objects.filter(username="ana").exists()
    entry = AccessEvent.objects.get(action=AccessEvent.Action.LOCKOUT_CLEARED)
    assert entry.user == w.user and entry.detail == "for ana"
    assert entry.clinic_id == w.owner.clinic_id


ROWS = [
    Row(
        "clinic:lockout-list",
        "page",
        (
            get(
                (),
                MANAGERS,
                body=lockouts_of_owner_outsider_and_nobody,
                check=lists_what_they_may_clear,
            ),
        ),
    ),
    Row(
        "clinic:lockout-clear",
        "page",
        (
            get((), {**REFUSED, "manager": 405, "superuser": 405}),
            post(
                (),
                {**REFUSED, "manager": 302, "superuser": 302},
                body=owner_locked_out,
                check=cleared_and_logged,
            ),
        ),
    ),
]
