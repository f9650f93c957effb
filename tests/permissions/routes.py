"""Every named route and its row: who gets which status, with what body, and what an
allowed write must have changed (checks.py). The pages' and the API's rows are here, the
admin's in routes_admin.py; MATRIX assembles them all, and coverage() checks it against the
URLconf, so a new route fails until it has a row."""

from django.urls import URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import checks as c
from . import (
    routes_access_log,
    routes_cautions,
    routes_letters,
    routes_print,
    routes_roles,
    routes_scheduling_api,
    routes_scheduling_calendar,
    routes_scheduling_feeds,
    routes_scheduling_hours,
    routes_scheduling_plans,
    routes_scheduling_today,
    routes_second_factor,
    routes_throttle,
    routes_tokens,
)
from .routes_admin import ADMIN_ROWS, model_rows
from .support import ACCOUNT_USERS, LOGIN, PAGE_USERS, Row, api, call, get, page, post

# What the test modules import from here: the rows, the whole matrix and its coverage.
__all__ = [
    "ACCOUNT_ROWS",
    "ADMIN_ROWS",
    "API_ROWS",
    "LETTER_ROWS",
    "MATRIX",
    "PAGE_ROWS",
    "SCHEDULING_ROWS",
    "SECURITY_ROWS",
    "coverage",
    "model_rows",
    "route_names",
]


def route_names(patterns=None, namespace=""):
    """Every named route of the URLconf, by its full namespaced name (a DRF format-suffix
    variant shares its route's name)."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= route_names(pattern.url_patterns, inner)
        elif pattern.name:
            names.add(namespace + pattern.name)
    return names


CLIENT, ARCHIVED = ("client.pk",), ("archived_client.pk",)
DRAFT, SIGNED = ("draft.pk",), ("signed.pk",)
SHEET, ISSUED = ("draft_sheet.pk",), ("issued_sheet.pk",)
SHARED = page(200, outsider=200)  # a clinic's own list, or the catalogue all clinics share


def pages(name, *calls):
    return Row(name, "page", calls)


def owner_only(expect, manager=403):
    """Only the record's owner (who recorded the session, who made the sheet): a colleague
    is refused, and so is the clinic manager unless `manager` says otherwise."""
    return {**expect, "colleague": 403, "manager": manager}


PAGE_ROWS = [
    pages("clinic:dashboard", get((), SHARED, check=c.own_clinic_sees, needs=("client",))),
    pages(
        "clinic:client-list",
        get((), SHARED, body={"status": "all"}, check=c.own_clinic_sees, needs=("client",)),
    ),
    pages(
        "clinic:client-create",
        get((), SHARED),
        post((), page(302, outsider=302), body=c.CLIENT_FORM, check=c.new_client),
    ),
    pages("clinic:client-detail", get(CLIENT, page())),
    pages(
        "clinic:client-update",
        get(CLIENT, page()),
        post(
            CLIENT,
            page(302),
            body=c.client_edit_form,
            check=c.field_is("client", "last_name", "Shah"),
        ),
    ),
    pages(
        "clinic:client-archive",
        get(CLIENT, page(405, outsider=405)),  # refused before the client is looked up
        post(CLIENT, page(302), check=c.archived(True)),
    ),
    pages(
        "clinic:client-restore",
        get(ARCHIVED, page(405, outsider=405)),
        post(ARCHIVED, page(302), check=c.archived(False)),
    ),
    pages(
        "sessions:session-create",
        get(CLIENT, page()),
        post(CLIENT, page(302), body=c.session_form, check=c.new_session),
    ),
    pages(
        "sessions:session-detail",
        get(DRAFT, {**page(), "manager": 200}),
        get(SIGNED, {**page(), "manager": 200}),
    ),
    pages(
        "sessions:session-update",
        get(DRAFT, owner_only(page()), refusal=c.only_treating("edit")),
        post(
            DRAFT,
            owner_only(page(302)),
            body=c.session_edit_form,
            check=c.field_is("draft", "notes", "By page"),
            refusal=c.only_treating("edit"),
        ),
    ),
    pages(
        "sessions:session-sign",
        get(DRAFT, page(405)),
        post(
            DRAFT, owner_only(page(302)), check=c.signed_by_owner, refusal=c.only_treating("sign")
        ),
    ),
    pages(
        "sessions:session-amend",
        get(SIGNED, owner_only(page(), manager=200), refusal=c.only_treating_or_manager),
        post(
            SIGNED,
            owner_only(page(302), manager=302),
            body=c.amend_form,
            check=c.amended,
            refusal=c.only_treating_or_manager,
        ),
    ),
    pages(
        "homecare:sheet-from-session",
        get(DRAFT, page(405)),
        post(DRAFT, page(302), check=c.sheet_from_draft),
    ),
    pages(
        "homecare:sheet-create",
        get(CLIENT, page()),
        post(CLIENT, page(302), body=c.sheet_form, check=c.new_sheet),
    ),
    pages(
        "homecare:sheet-detail",
        get(SHEET, {**page(), "manager": 200}),
        get(ISSUED, {**page(), "manager": 200}),
    ),
    pages(
        "homecare:sheet-update",
        get(SHEET, owner_only(page()), refusal=c.only_maker("edit")),
        post(
            SHEET,
            owner_only(page(302)),
            body=c.sheet_edit_form,
            check=c.field_is("draft_sheet", "paper", "letter"),
            refusal=c.only_maker("edit"),
        ),
    ),
    pages("homecare:sheet-print", get(SHEET, page())),
    *routes_print.ROWS,  # issue 14: paper saved on the sheet, issue and print in one press
    pages("homecare:sheet-pdf", get(SHEET, page(), check=c.is_pdf)),
    pages(
        "homecare:sheet-issue",
        get(SHEET, page(405)),
        post(SHEET, owner_only(page(302)), check=c.issued, refusal=c.only_maker("issue")),
    ),
    pages(
        "homecare:sheet-new-version",
        get(ISSUED, page(405)),
        post(
            ISSUED,
            owner_only(page(302), manager=302),
            check=c.new_version,
            refusal=c.only_maker_or_manager,
        ),
    ),
    pages("catalogue:point-list", get((), SHARED)),
    pages("catalogue:point-detail", get(("point.code",), SHARED)),
    pages("catalogue:condition-detail", get(("condition.slug",), SHARED)),
]

# The account pages: the same for every logged-in user, practitioner or not.
ANYONE = dict.fromkeys(ACCOUNT_USERS, 200)
LOGGED_IN = {**ANYONE, "anonymous": LOGIN}
NEW_PASSWORD = {"old_password": c.PASSWORD, "new_password1": "a-New-pass-4321"}
NEW_PASSWORD["new_password2"] = NEW_PASSWORD["new_password1"]


def uid(w):
    return urlsafe_base64_encode(force_bytes(w.owner.user.pk))


ACCOUNT_ROWS = [
    pages("login", get((), ANYONE)),
    pages(
        "logout",
        get((), dict.fromkeys(ACCOUNT_USERS, 405)),
        post((), dict.fromkeys(ACCOUNT_USERS, 302), check=c.logged_out, effect=frozenset()),
    ),
    pages(
        "password_change",
        get((), LOGGED_IN),
        post(
            (),
            {**LOGGED_IN, "practitioner": 302, "no_profile": 302},
            body=NEW_PASSWORD,
            check=c.password_changed,
        ),
    ),
    pages("password_change_done", get((), LOGGED_IN)),
    pages("password_reset", get((), ANYONE)),
    pages("password_reset_done", get((), ANYONE)),
    pages("password_reset_confirm", get((uid, lambda w: "not-a-token"), ANYONE)),
    pages("password_reset_complete", get((), ANYONE)),
]


# --- the API: 401 for an anonymous caller, 403 without a practitioner profile -----------


def apis(name, *calls):
    return Row(f"api:{name}", "api", calls)


NOT_OFFERED = api(405, outsider=405)  # DRF refuses the method before it looks for a record
CATALOGUE = api(200, outsider=200)


def catalogue_rows(kind, key):
    """The catalogue is read-only: every write is refused, whoever asks."""
    writes = ("post", "put", "patch", "delete")
    return [
        apis(f"{kind}-list", get((), CATALOGUE), post((), NOT_OFFERED, body={"name": "New"})),
        apis(
            f"{kind}-detail",
            get((key,), CATALOGUE),
            *[call(method, (key,), NOT_OFFERED, body={"name": "Changed"}) for method in writes],
        ),
    ]


def detail_rows(name, record, patch, put, check_patch, check_put, *, edit=None, refusal=None):
    """`edit`: who may change the record, when fewer than may read it."""
    edit = edit or api()
    return apis(
        name,
        get(record, api()),
        call("patch", record, edit, body=patch, check=check_patch, refusal=refusal),
        call("put", record, edit, body=put, check=check_put, refusal=refusal),
        call("delete", record, NOT_OFFERED),
    )


LOGGED_IN_API = {**dict.fromkeys(PAGE_USERS, 200), "anonymous": 401}
ON_OWN_CLIENT = api(201, outsider=400)  # another clinic cannot name the owner's client
API_ROWS = [
    apis("api-root", get((), CATALOGUE)),
    apis(
        "token",  # no authentication: anyone with a username and password gets a token
        get((), dict.fromkeys(PAGE_USERS, 405)),
        post(
            (),
            {**dict.fromkeys(PAGE_USERS, 200), "anonymous": 400},
            body=c.token_body,
            check=c.token_for_user_only,
            effect=frozenset(PAGE_USERS),
        ),
    ),
    # The schema and its docs page: for any logged-in user, with or without a profile.
    apis("schema", get((), LOGGED_IN_API, body={"format": "json"})),
    apis("docs", get((), LOGGED_IN_API)),
    apis(
        "client-list",
        get((), CATALOGUE, check=c.own_clinic_sees, needs=("client",)),
        post((), api(201, outsider=201), body=c.CLIENT_FORM, check=c.new_client),
    ),
    detail_rows(
        "client-detail",
        CLIENT,
        {"phone": "01234 567890"},
        {"first_name": "M", "last_name": "Put"},
        c.field_is("client", "phone", "01234 567890"),
        c.field_is("client", "last_name", "Put"),
    ),
    apis("client-archive", get(CLIENT, NOT_OFFERED), post(CLIENT, api(), check=c.archived(True))),
    apis("client-restore", post(ARCHIVED, api(), check=c.archived(False))),
    *catalogue_rows("point", "point.code"),
    *catalogue_rows("condition", "condition.slug"),
    *catalogue_rows("tool", "point.default_tool.slug"),
    apis(
        "session-list",
        get((), CATALOGUE, check=c.listed("draft"), needs=("draft",)),
        post((), ON_OWN_CLIENT, body=c.session_json, check=c.new_session),
    ),
    detail_rows(
        "session-detail",
        DRAFT,
        {"notes": "Patched"},
        lambda w: {**c.session_json(w), "notes": "Put"},
        c.field_is("draft", "notes", "Patched"),
        c.field_is("draft", "notes", "Put"),
        edit=owner_only(api()),
        refusal=c.only_treating("edit"),
    ),
    apis(
        "session-sign",
        get(DRAFT, NOT_OFFERED),
        post(DRAFT, owner_only(api()), check=c.signed_by_owner, refusal=c.only_treating("sign")),
    ),
    apis(
        "session-amend",
        post(
            SIGNED,
            owner_only(api(), manager=200),
            body={"reason": "Typo", "notes": "Fixed"},
            check=c.amended,
            refusal=c.only_treating_or_manager,
        ),
    ),
    apis(
        "homecare-sheet-list",
        get((), CATALOGUE, check=c.listed("draft_sheet"), needs=("draft_sheet",)),
        post((), ON_OWN_CLIENT, body=c.sheet_json, check=c.new_sheet),
        post((), ON_OWN_CLIENT, body=lambda w: {"session": w.draft.pk}, check=c.sheet_from_draft),
    ),
    detail_rows(
        "homecare-sheet-detail",
        SHEET,
        {"general_advice": "Patched"},
        {"paper": "letter"},
        c.field_is("draft_sheet", "general_advice", "Patched"),
        c.field_is("draft_sheet", "paper", "letter"),
        edit=owner_only(api()),
        refusal=c.only_maker("edit"),
    ),
    apis(
        "homecare-sheet-issue",
        get(SHEET, NOT_OFFERED),
        post(SHEET, owner_only(api()), check=c.issued, refusal=c.only_maker("issue")),
    ),
    apis(
        "homecare-sheet-new-version",
        post(
            ISSUED,
            owner_only(api(201), manager=201),
            check=c.new_version,
            refusal=c.only_maker_or_manager,
        ),
    ),
    apis("homecare-sheet-pdf", get(SHEET, api(), check=c.is_pdf)),
    *routes_cautions.ROWS,  # issue 12: the caution vocabulary and a client's cautions
]

# Every row in one place, so coverage() and test_coverage.py see the whole URLconf.
# Issue 11's routes, a module per topic (throttle and lockouts, tokens, second factor,
# roles, access log and export).
SECURITY_ROWS = [
    *routes_throttle.ROWS,
    *routes_tokens.ROWS,
    *routes_second_factor.ROWS,
    *routes_roles.ROWS,
    *routes_access_log.ROWS,
]
# Issue 12's routes: referral letters.
LETTER_ROWS = routes_letters.ROWS
# Issue 15's routes: the diary, a module per topic.
SCHEDULING_ROWS = [
    *routes_scheduling_calendar.ROWS,
    *routes_scheduling_hours.ROWS,
    *routes_scheduling_today.ROWS,
    *routes_scheduling_plans.ROWS,
    *routes_scheduling_feeds.ROWS,
    *routes_scheduling_api.ROWS,
]
ALL_ROWS = [
    *PAGE_ROWS,
    *ACCOUNT_ROWS,
    *API_ROWS,
    *ADMIN_ROWS,
    *SECURITY_ROWS,
    *LETTER_ROWS,
    *SCHEDULING_ROWS,
]
MATRIX = {row.name: row for row in ALL_ROWS}
assert len(MATRIX) == len(ALL_ROWS), "a row twice"


def coverage():
    """The routes of the URLconf without a row, and the rows for routes no longer there."""
    names = route_names()
    return names - MATRIX.keys(), MATRIX.keys() - names
