"""The matrix machinery: the cast and the owner's records (built lazily, only what a row
uses), a row of calls with the exact status for each user, and the runner that checks a
refused write changed nothing and an allowed one did what it says."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property
from operator import attrgetter
from urllib.parse import parse_qs, urlencode, urlsplit

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from catalogue.editors import EDITORS
from catalogue.models import WarningSign
from clinic import api_tokens
from clinic.access import NOT_A_PRACTITIONER
from homecare import services as homecare
from homecare.rows import ItemRow
from letters import services as letters
from scheduling import booking, feeds
from sessions import services as sessions
from sessions.rows import PointRow

from ..factories import ConditionFactory, PointFactory, UserFactory
from ..otp import give_app, password_only_login

LOGIN = "login"  # a 302 to the login page, with ?next= the page asked for
ADMIN_LOGIN = "admin-login"  # the same, to the admin's login page
PAGE_USERS = ("owner", "colleague", "outsider", "no_profile", "anonymous")
ACCOUNT_USERS = ("practitioner", "no_profile", "anonymous")
ADMIN_USERS = ("staff", "superuser", "practitioner", "anonymous")  # staff: no permissions
# Staff who gave only their password: with an app set up, or with none yet. (Everyone
# else logged in has passed the second factor where they have or need one.)
PASSWORD_ONLY_USERS = ("staff_no_code", "staff_no_app")


class World:
    """The cast of tests/conftest.py and the owner's records. The owner (`practitioner`)
    recorded the sessions and made the sheets; the colleague works in the same clinic, as
    does the clinic manager; the outsider in another. A row names "manager" in a call's
    statuses where the manager's answer differs from a colleague's."""

    def __init__(self, request):
        self.fixture = request.getfixturevalue
        self.who = None
        self.built = {}

    def once(self, key, build):
        if key not in self.built:
            self.built[key] = build()
        return self.built[key]

    # The day the world is first asked for it: a run across midnight keeps one "tomorrow".
    today = cached_property(lambda self: timezone.localdate())
    owner = cached_property(lambda self: self.fixture("practitioner"))
    colleague = cached_property(lambda self: self.fixture("colleague"))
    outsider = cached_property(lambda self: self.fixture("outsider"))
    manager = cached_property(lambda self: self.fixture("clinic_manager"))
    client = cached_property(lambda self: self.fixture("client_record"))
    point = cached_property(lambda self: PointFactory())  # self-care, default tool thumb
    condition = cached_property(lambda self: ConditionFactory(name="Neck pain"))

    @cached_property
    def archived_client(self):
        client = self.fixture("client_record")
        client.archive()
        return client

    def session(self, found=()):
        """`found`: the check-in's answers that were yes (acknowledged)."""
        return sessions.record_session(
            client=self.client,
            practitioner=self.owner,
            started_at=timezone.now() - timedelta(days=1),
            pain_before=6,
            pain_after=3,
            outcome="improved",
            points=[PointRow(point=self.point)],
            check_in_found=found,
            check_in_acknowledged=bool(found),
        )

    draft = cached_property(session)  # finished, so the owner can sign it

    @cached_property
    def signed(self):
        return sessions.sign_session(session=self.session(), practitioner=self.owner)

    def sheet(self):
        items = [ItemRow(point=self.point)]
        return homecare.create_sheet(client=self.client, practitioner=self.owner, items=items)

    draft_sheet = cached_property(sheet)
    api_token = cached_property(  # the owner's
        lambda self: api_tokens.issue(user=self.owner.user, device="Front desk iPad")[0]
    )

    @cached_property
    def issued_sheet(self):
        return homecare.issue_sheet(sheet=self.sheet(), practitioner=self.owner)

    # Issue 12's referral letters (routes_letters.py): a session whose check-in found a
    # warning sign, its draft letter, and another such session's issued letter.
    def flagged_session(self):
        sign, _ = WarningSign.objects.get_or_create(
            key="matrix-sign",
            defaults={
                "sign": "Matrix warning sign",
                "client_wording": "You feel very unwell.",
                "urgency": "same_day",
                "any_condition": True,
            },
        )
        return self.session([f"sign:{sign.key}"])

    flagged = cached_property(flagged_session)

    @cached_property
    def draft_letter(self):
        return letters.letter_from_session(session=self.flagged, practitioner=self.owner)[0]

    @cached_property
    def issued_letter(self):
        letter, _ = letters.letter_from_session(
            session=self.flagged_session(), practitioner=self.owner
        )
        return letters.issue_letter(letter=letter, practitioner=self.owner)

    # Issue 15's diary: the owner's appointment with the client, tomorrow at 10:00.
    @cached_property
    def appointment(self):
        tomorrow = self.today + timedelta(days=1)
        starts_at = timezone.make_aware(datetime.combine(tomorrow, time(10)))
        return booking.book_appointment(
            client=self.client,
            practitioner=self.owner,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=45),
            booked_by=self.owner,
        )

    @cached_property
    def feed(self):
        """The owner's calendar feed and its secret (routes_scheduling_feeds.py)."""
        return feeds.make_feed(practitioner=self.owner)

    @cached_property
    def user(self):
        """The acting user, None for an anonymous visitor."""
        return {
            "owner": lambda: self.owner.user,
            "practitioner": lambda: self.owner.user,
            "colleague": lambda: self.colleague.user,
            "outsider": lambda: self.outsider.user,
            "manager": lambda: self.manager.user,
            "no_profile": lambda: self.fixture("no_profile_user"),
            "staff": lambda: UserFactory(username="desk", is_staff=True),
            "staff_no_app": lambda: UserFactory(username="desk", is_staff=True),
            "staff_no_code": lambda: give_app(UserFactory(username="desk", is_staff=True)).user,
            "editor": catalogue_editor,
            "all_permissions": staff_with_every_permission,
            "superuser": lambda: get_user_model().objects.create_superuser("root", "r@x.org", "pw"),
            "anonymous": lambda: None,
        }[self.who]()

    @property
    def actor(self):
        """The acting practitioner."""
        return self.user.practitioner


def catalogue_editor():
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    return editor


def staff_with_every_permission():
    """Staff, not superuser, holding every permission there is, client records' included."""
    staff = UserFactory(username="allperms", is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    return staff


# The access log is written by looking and by failed logins, by design (tests/clinic/
# test_access_log.py checks what it holds).
UNWATCHED = {
    "sessions.Session",
    "auth.Permission",
    "contenttypes.ContentType",
    "clinic.AccessEvent",
}


def snapshot():
    """Every row of every table (counts, timestamps, history tables), but the login
    sessions (saved on every request), the access log, and Django's fixed lists of
    permissions and types."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.label not in UNWATCHED
    }


@dataclass(frozen=True)
class Call:
    """One request. `args` are attribute paths on the World (or callables of it) for the
    route's arguments; `expect` maps a user to a status (or LOGIN / ADMIN_LOGIN), and a
    user left out does not make this call. `check(world, response)` runs for each user
    answered below 400 and for those in `effect`. A write changes the database for the
    users in `effect` (by default those answered below 400) and nothing for the others."""

    method: str
    args: tuple
    expect: dict
    body: Callable | dict | None = None
    check: Callable | None = None
    effect: frozenset | None = None
    needs: tuple = ()  # World records to build before the request (a list must show them)
    refusal: Callable | None = None  # refusal(world): the message a practitioner's 403 says

    def takes_effect_for(self, who):
        if self.effect is not None:
            return who in self.effect
        return isinstance(self.expect[who], int) and self.expect[who] < 400


@dataclass(frozen=True)
class Row:
    name: str  # the route's full namespaced name
    kind: str  # "page", "api" or "admin"
    calls: tuple = field(default_factory=tuple)

    @property
    def users(self):
        return tuple(dict.fromkeys(who for call in self.calls for who in call.expect))


def call(method, args=(), expect=None, **options):
    return Call(method, tuple(args), expect, **options)


def get(args=(), expect=None, **options):
    return call("get", args, expect, **options)


def post(args=(), expect=None, **options):
    return call("post", args, expect, **options)


def page(ok=200, *, outsider=404, colleague=None):
    return {
        "owner": ok,
        "colleague": ok if colleague is None else colleague,
        "outsider": outsider,
        "no_profile": 403,
        "anonymous": LOGIN,
    }


def api(ok=200, *, outsider=404, colleague=None):
    return {**page(ok, outsider=outsider, colleague=colleague), "anonymous": 401}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def send(http, method, url, body, kind):
    if method == "get":
        return http.get(url, body or {})
    return getattr(http, method)(url, body, format="json" if kind == "api" else None)


def log_in(http, world):
    """The acting user logs in: with the second factor passed where they have or need one,
    but for PASSWORD_ONLY_USERS."""
    if world.who in PASSWORD_ONLY_USERS:
        password_only_login(http, world.user)
    elif world.user is not None:
        http.force_login(world.user)


def run(row, who, world, http):
    world.who = who
    log_in(http, world)
    for each in row.calls:
        if who not in each.expect:
            continue
        for name in each.needs:
            getattr(world, name)
        args = [arg(world) if callable(arg) else attrgetter(arg)(world) for arg in each.args]
        url = reverse(row.name, args=args)
        body = each.body(world) if callable(each.body) else each.body
        expected = each.expect[who]
        before = snapshot() if each.method != "get" else None
        response = send(http, each.method, url, body, row.kind)
        seen = f"{each.method.upper()} {url} as {who}: {response.status_code}"
        status = 302 if expected in (LOGIN, ADMIN_LOGIN) else expected
        assert response.status_code == status, f"{seen}, expected {status}"
        if expected in (LOGIN, ADMIN_LOGIN):
            asked = url + (f"?{urlencode(body)}" if body and each.method == "get" else "")
            location = urlsplit(response["Location"])
            login = reverse("login" if expected == LOGIN else "admin:login")
            assert location.path == login, response["Location"]
            assert parse_qs(location.query) == {"next": [asked]}, response["Location"]
        if who == "no_profile" and status == 403:  # refused for the reason, not by chance
            if row.kind == "api":
                assert response.json() == {"detail": NOT_A_PRACTITIONER}
            else:
                assert b"not linked to an active practitioner" in response.content
        elif status == 403 and each.refusal is not None:
            message = each.refusal(world)
            if row.kind == "api":
                assert response.json() == {"detail": message}, seen
            else:
                assert escape(message) in response.content.decode(), seen
        answered = isinstance(expected, int) and expected < 400
        assert each.check or each.method == "get" or not each.takes_effect_for(who), (
            f"{seen}: an allowed write needs a check of what it changed"
        )
        if each.check and (each.takes_effect_for(who) or answered):
            each.check(world, response)
        if before is not None:
            changed = snapshot() != before
            assert changed == each.takes_effect_for(who), f"{seen}: changed={changed}"
