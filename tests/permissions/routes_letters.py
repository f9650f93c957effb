"""Issue 12: the permission matrix rows for referral letters (routes.py adds ROWS to
MATRIX). The owner treated the flagged session (`flagged`, its check-in found a warning
sign) and made its letter (`draft_letter`; `issued_letter` is another session's, issued).
Everyone in the clinic reads a letter; only the treating practitioner makes and issues it,
the clinic manager included in "everyone else"."""

from letters.content import NO_SIGN_FOUND
from letters.models import ReferralLetter

from . import checks as c
from .support import Row, api, call, get, messages_of, page, post

FLAGGED, PLAIN = ("flagged.pk",), ("draft.pk",)  # the world's `draft` found nothing
DRAFT, ISSUED = ("draft_letter.pk",), ("issued_letter.pk",)
NOT_OFFERED = api(405, outsider=405)


def clinic_reads(expect):
    return {**expect, "manager": expect["colleague"]}


def treating_only(expect):
    return {**expect, "colleague": 403, "manager": 403}


def only_treating(to):
    return lambda w: f"Only {w.owner}, who recorded this session, can {to} its letter."


def letter_made(w, response):
    letter = ReferralLetter.objects.get(session=w.flagged)
    assert (letter.created_by, letter.is_issued) == (w.owner, False)
    assert response["Location"].endswith(f"/letters/{letter.pk}/")


def refused_without_a_sign(w, response):
    assert not ReferralLetter.objects.filter(session=w.draft).exists()
    assert NO_SIGN_FOUND in messages_of(response)


def letter_issued(w, response):
    w.draft_letter.refresh_from_db()
    assert w.draft_letter.issued_by == w.owner and bytes(w.draft_letter.pdf).startswith(b"%PDF")


def listed(w, response):
    ids = [item["id"] for item in response.json()["results"]]
    assert (w.draft_letter.pk in ids) == (w.who != "outsider"), (w.who, ids)


ROWS = [
    Row(
        "letters:letter-from-session",
        "page",
        (
            get(FLAGGED, page(405)),
            post(
                FLAGGED,
                treating_only(page(302)),
                check=letter_made,
                refusal=only_treating("make"),
            ),
            post(  # no warning sign found: nothing is made, whoever asks
                PLAIN,
                treating_only(page(302)),
                check=refused_without_a_sign,
                effect=frozenset(),
                refusal=only_treating("make"),
            ),
        ),
    ),
    Row(
        "letters:letter-detail",
        "page",
        (get(DRAFT, clinic_reads(page())), get(ISSUED, clinic_reads(page()))),
    ),
    Row(
        "letters:letter-pdf",
        "page",
        (get(DRAFT, page(), check=c.is_pdf), get(ISSUED, page(), check=c.is_pdf)),
    ),
    Row(
        "letters:letter-issue",
        "page",
        (
            get(DRAFT, page(405)),
            post(
                DRAFT,
                treating_only(page(302)),
                check=letter_issued,
                refusal=only_treating("issue"),
            ),
        ),
    ),
    Row(
        "api:letter-list",
        "api",
        (
            get((), api(200, outsider=200), check=listed, needs=("draft_letter",)),
            post((), NOT_OFFERED, body=lambda w: {"session": w.flagged.pk}),
        ),
    ),
    Row(
        "api:letter-detail",
        "api",
        (
            get(DRAFT, clinic_reads(api())),
            *[call(method, DRAFT, NOT_OFFERED, body={}) for method in ("put", "patch", "delete")],
        ),
    ),
    Row(
        "api:letter-pdf",
        "api",
        (get(DRAFT, api(), check=c.is_pdf), get(ISSUED, api(), check=c.is_pdf)),
    ),
]
