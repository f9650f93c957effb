"""Issue 12: the permission matrix rows for the caution vocabulary's read-only API (health
flags, caution rules, warning signs: shared by every clinic, like the rest of the catalogue)
and a client's cautions at a row (the client's clinic only). routes.py adds ROWS to
API_ROWS. The flags are seeded by the catalogue's migrations; a rule and a sign are made
here, at the World's point."""

from catalogue.models import WarningSign

from ..factories import CautionFactory
from .support import Row, api, call, get, post

VOCABULARY = api(200, outsider=200)
NOT_OFFERED = api(405, outsider=405)
WRITES = ("post", "put", "patch", "delete")


def rule(w):
    """A caution for every client at the World's point."""
    return w.once("rule", lambda: CautionFactory(point=w.point, flag="all_clients"))


def sign(w):
    return w.once(
        "sign",
        lambda: WarningSign.objects.create(
            key="test-sign",
            sign="Sudden worst headache ever",
            client_wording="The worst headache you have ever had starts all at once.",
            urgency="emergency",
            any_condition=True,
        ),
    )


def lists(record, key):
    def check(w, response):
        assert key(w) in [item[record] for item in response.json()["results"]]

    return check


def shows(record, key):
    def check(w, response):
        assert response.json()[record] == key(w)

    return check


def vocabulary_rows(kind, record, key):
    """Every practitioner reads the list (with the entry `key` builds) and each entry;
    every write is refused."""

    def no_query_but_the_entry_made(w):
        key(w)
        return {}

    return [
        Row(
            f"api:{kind}-list",
            "api",
            (
                get((), VOCABULARY, check=lists(record, key), body=no_query_but_the_entry_made),
                post((), NOT_OFFERED, body={record: "new"}),
            ),
        ),
        Row(
            f"api:{kind}-detail",
            "api",
            (
                get((key,), VOCABULARY, check=shows(record, key)),
                *[call(method, (key,), NOT_OFFERED, body={record: "changed"}) for method in WRITES],
            ),
        ),
    ]


def the_rows_caution(w, response):
    assert response.json()["point"] == w.point.code
    assert rule(w).key in [f["rule"] for f in response.json()["findings"]]


ROWS = [
    *vocabulary_rows("health-flag", "code", lambda w: "pregnancy"),
    *vocabulary_rows("caution-rule", "key", lambda w: rule(w).key),
    *vocabulary_rows("warning-sign", "key", lambda w: sign(w).key),
    Row(
        "api:client-cautions",
        "api",
        (
            get(
                ("client.pk",),
                api(),
                body=lambda w: {"point": rule(w).point.code},
                check=the_rows_caution,
            ),
            post(("client.pk",), NOT_OFFERED),
        ),
    ),
]
