"""Issue 15: the permission matrix rows for the diary's feeds routes (routes.py adds ROWS to
MATRIX). The world's `appointment` is the owner's, booked with the world's client.

The feed page is an account page: every practitioner (of any clinic) has their own feed
there and sees only theirs; the owner has one (`feed`). The feed itself needs no login: its
secret is the credential, so anyone holding it gets the calendar (200), and a revoked or
unknown secret is a 404 to everyone."""

import icalendar
from django.urls import reverse

from scheduling import feeds
from scheduling.models import CalendarFeed

from .support import Row, get, page, post

PRACTITIONERS = ("owner", "colleague", "outsider")
OWN_PAGE = page(200, outsider=200)  # each practitioner their own


def sees_own_feed_only(w, response):
    has_feed = "Made " in response.content.decode()
    assert has_feed == (w.who == "owner"), w.who


def made_a_new_feed(w, response):
    assert 'data-testid="feed-address"' in response.content.decode()
    live = CalendarFeed.objects.filter(practitioner=w.actor, revoked_at__isnull=True)
    assert live.count() == 1
    if w.who == "owner":  # the old one is revoked
        assert not live.filter(pk=w.feed[0].pk).exists()


def revoked_own_feed(w, response):
    assert response["Location"] == reverse("scheduling:feed")
    revoked = CalendarFeed.objects.get(pk=w.feed[0].pk).revoked_at is not None
    assert revoked == (w.who == "owner"), w.who


def the_owners_calendar(w, response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == f"appointment-{w.appointment.pk}@testserver"


def revoked_token(w):
    def build():
        _, token = feeds.make_feed(practitioner=w.colleague)
        feeds.revoke_feed(practitioner=w.colleague)
        return token

    return w.once("revoked-feed", build)


ANYONE = ("anonymous", *PRACTITIONERS, "no_profile")

ROWS = [
    Row(
        "scheduling:feed",
        "page",
        (
            get((), OWN_PAGE, check=sees_own_feed_only, needs=("feed",)),
            post((), OWN_PAGE, check=made_a_new_feed, needs=("feed",)),
        ),
    ),
    Row(
        "scheduling:feed-revoke",
        "page",
        (
            get((), page(405, outsider=405)),
            post(
                (),
                page(302, outsider=302),
                check=revoked_own_feed,
                needs=("feed",),
                effect=frozenset({"owner"}),
            ),
        ),
    ),
    Row(
        "scheduling:feed-ics",
        "page",
        (
            get(
                (lambda w: w.feed[1],),
                dict.fromkeys(ANYONE, 200),
                check=the_owners_calendar,
                needs=("appointment",),
            ),
            get((revoked_token,), dict.fromkeys(ANYONE, 404)),
            get((lambda w: "not-a-token",), dict.fromkeys(ANYONE, 404)),
        ),
    ),
]
