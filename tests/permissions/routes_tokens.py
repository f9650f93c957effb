"""Issue 11: the permission matrix rows for API tokens (routes.py adds ROWS to MATRIX). The
owner has a token (`api_token`, "Front desk iPad"); every logged-in user, practitioner or
not, sees and revokes their own tokens only: the owner's is a 404 to anyone else, the
clinic manager included. The token login itself is routes.py's `api:token` row."""

from django.urls import reverse

from clinic.access_log import AccessEvent
from clinic.api_tokens import ApiToken

from .support import LOGIN, PAGE_USERS, Row, call, get, post

TOKEN = ("api_token.pk",)
LOGGED_IN = (*[who for who in PAGE_USERS if who != "anonymous"], "manager")


def everyone(status, *, owner=None, anonymous=LOGIN):
    """`status` for every logged-in user (the owner's own answer may differ)."""
    statuses = dict.fromkeys(LOGGED_IN, status)
    return {**statuses, "owner": status if owner is None else owner, "anonymous": anonymous}


def owner_only(ok, *, anonymous=LOGIN):
    return everyone(404, owner=ok, anonymous=anonymous)


def sees_own_tokens_only(w, response):
    revoke = reverse("clinic:token-revoke", args=[w.api_token.pk])
    assert (revoke in response.content.decode()) == (w.who == "owner")


def lists_own_tokens_only(w, response):
    listed = [token["id"] for token in response.json()["results"]]
    assert listed == ([w.api_token.pk] if w.who == "owner" else [])


def shows_the_token(w, response):
    assert response.json()["device"] == "Front desk iPad"
    assert "digest" not in response.json() and "token" not in response.json()


def revoked(w, response):
    assert not ApiToken.objects.filter(pk=w.api_token.pk).exists()
    event = AccessEvent.objects.filter(action=AccessEvent.Action.TOKEN_REVOKED).get()
    assert (event.user, event.detail) == (w.owner.user, "Front desk iPad")
    if response.status_code == 302:
        assert response["Location"] == reverse("clinic:account")


ROWS = [
    Row(
        "clinic:account",
        "page",
        (get((), everyone(200), check=sees_own_tokens_only, needs=("api_token",)),),
    ),
    Row(
        "clinic:token-revoke",
        "page",
        (get(TOKEN, everyone(405)), post(TOKEN, owner_only(302), check=revoked)),
    ),
    Row(
        "api:token-list",
        "api",
        (
            get(
                (), everyone(200, anonymous=401), check=lists_own_tokens_only, needs=("api_token",)
            ),
            post((), everyone(405, anonymous=401), body={"device": "Another"}),
        ),
    ),
    Row(
        "api:token-detail",
        "api",
        (
            get(TOKEN, owner_only(200, anonymous=401), check=shows_the_token),
            call("patch", TOKEN, everyone(405, anonymous=401), body={"device": "Renamed"}),
            call("delete", TOKEN, owner_only(204, anonymous=401), check=revoked),
        ),
    ),
    Row(
        "api:logout",
        "api",
        (
            get((), everyone(405, anonymous=401)),
            # Logged in through the browser, there is no token to log out (see
            # tests/clinic/test_api_tokens.py for a token's own logout).
            post((), everyone(400, anonymous=401)),
        ),
    ),
]
