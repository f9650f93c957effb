"""What an allowed request must show or have changed, and the bodies the rows send."""

from datetime import timedelta
from urllib.parse import urlsplit

from axes.models import AccessAttempt
from django.urls import resolve, reverse
from django.utils import timezone

from clinic.api_tokens import ApiToken, digest_of
from clinic.models import Client
from homecare.models import HomeCareSheet
from sessions.models import Amendment, TreatmentSession

from ..conftest import PASSWORD


def fresh(w, name):
    record = getattr(w, name)
    record.refresh_from_db()
    return record


def made(model, response):
    """The record a write answered with: by the page it redirects to, or the API's id."""
    if response.status_code == 302:
        return model.objects.get(pk=resolve(urlsplit(response["Location"]).path).kwargs["pk"])
    return model.objects.get(pk=response.json()["id"])


def own_clinic_sees(w, response):
    """The owner's client is on the page or in the list for its clinic, never another."""
    if response["Content-Type"].startswith("application/json"):
        shown = w.client.pk in [item["id"] for item in response.json()["results"]]
    else:
        shown = reverse("clinic:client-detail", args=[w.client.pk]) in response.content.decode()
    assert shown == (w.who != "outsider"), w.who


def listed(record):
    def check(w, response):
        ids = [item["id"] for item in response.json()["results"]]
        assert (getattr(w, record).pk in ids) == (w.who != "outsider"), (w.who, ids)

    return check


def field_is(record, name, value):
    def check(w, response):
        assert getattr(fresh(w, record), name) == value

    return check


def new_client(w, response):
    assert made(Client, response).clinic == w.actor.clinic


def new_session(w, response):
    session = made(TreatmentSession, response)
    assert (session.client, session.practitioner) == (w.client, w.actor)
    assert session.treated_points.get().point == w.point


def new_sheet(w, response):
    sheet = made(HomeCareSheet, response)
    assert (sheet.client, sheet.created_by) == (w.client, w.actor)
    assert sheet.items.get().point == w.point and not sheet.is_issued
    return sheet


def sheet_from_draft(w, response):
    assert new_sheet(w, response).session == w.draft


def new_version(w, response):
    assert new_sheet(w, response).supersedes == w.issued_sheet


def signed_by_owner(w, response):
    session = fresh(w, "draft")
    assert session.signed_by == w.owner and session.signed_at is not None


def amended(w, response):
    """By the treating practitioner (the owner) or, for another's session, a manager."""
    amendment = Amendment.objects.get(session=w.signed)
    role = Amendment.AmendedAs.TREATING if w.actor == w.owner else Amendment.AmendedAs.MANAGER
    assert (amendment.amended_by, amendment.amended_as) == (w.actor, role)
    assert fresh(w, "signed").notes == "Fixed"


# --- what a colleague's 403 says, on the pages and in the API ---------------------------


def only_treating(to):
    return lambda w: f"Only {w.owner}, who recorded this session, can {to} it."


def only_treating_or_manager(w):
    return f"Only {w.owner}, who recorded this session, or a clinic manager can amend it."


def only_maker(to):
    return lambda w: f"Only {w.owner}, who made this draft sheet, can {to} it."


def only_maker_or_manager(w):
    return f"Only {w.owner}, who made this sheet, or a clinic manager can make a new version of it."


def issued(w, response):
    sheet = fresh(w, "draft_sheet")
    assert sheet.issued_by == w.actor and bytes(sheet.pdf).startswith(b"%PDF")


def archived(value):
    def check(w, response):
        client = fresh(w, "client")
        assert (client.archived_at is not None) == value

    return check


def is_pdf(w, response):
    assert response["Content-Type"] == "application/pdf" and response.content[:4] == b"%PDF"


# --- the bodies -------------------------------------------------------------------------

FORMSET = {"TOTAL_FORMS": "1", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "9"}
CLIENT_FORM = {"first_name": "Priya", "last_name": "Shah", "phone": "07700 900123"}


def an_hour_ago():
    return timezone.localtime() - timedelta(hours=1)


def session_form(w):
    point = {"point": w.point.code, "side": "both", "pressure": "firm", "tool": ""}
    return {
        "started_at": an_hour_ago().strftime("%Y-%m-%dT%H:%M"),
        **{"pain_before": "6", "pain_after": "2", "outcome": "improved", "notes": "By page"},
        **{f"points-{key}": value for key, value in FORMSET.items()},
        **{f"points-0-{key}": value for key, value in point.items()},
    }


def client_edit_form(w):
    # Edit forms carry the revision they were opened at.
    return {**CLIENT_FORM, "revision": str(w.client.revision)}


def session_edit_form(w):
    return {**session_form(w), "revision": str(w.draft.revision)}


def sheet_edit_form(w):
    return {**sheet_form(w), "revision": str(w.draft_sheet.revision)}


def sheet_form(w):
    item = {"point": w.point.code, "side": "both", "times_per_day": "3", "ORDER": "1"}
    return {
        **{"general_advice": "By page", "paper": "letter"},
        **{f"items-{key}": value for key, value in FORMSET.items()},
        **{f"items-0-{key}": value for key, value in item.items()},
    }


def amend_form(w):
    fields = {"reason": "Typo", "pain_after": 3, "outcome": "improved", "notes": "Fixed"}
    return {**fields, "revision": str(w.signed.revision)}


def session_json(w):
    point = {"point": w.point.code, "side": "both", "pressure": "light"}
    started = an_hour_ago().isoformat()
    return {"client": w.client.pk, "started_at": started, "pain_before": 5, "points": [point]}


def sheet_json(w):
    return {"client": w.client.pk, "items": [{"point": w.point.code}]}


def password_changed(w, response):
    assert response["Location"] == reverse("password_change_done")
    w.user.refresh_from_db()
    assert w.user.check_password("a-New-pass-4321")


def logged_out(w, response):
    assert response["Location"] == reverse("login")


def token_body(w):
    """The acting user's own credentials; an anonymous visitor's are wrong."""
    user = w.user or w.owner.user
    return {"username": user.username, "password": PASSWORD if w.user else "wrong"}


def token_for_user_only(w, response):
    if w.user is None:
        assert not ApiToken.objects.exists()
        assert AccessAttempt.objects.get().username == w.owner.user.username
    else:
        token = ApiToken.objects.get(user=w.user)
        assert digest_of(response.json()["token"]) == token.digest
        assert response.json()["id"] == token.pk


def to_admin_index(w, response):
    if response.status_code == 302:  # staff are logged in already
        assert response["Location"] == reverse("admin:index")


def found_the_owner(w, response):
    assert [r["id"] for r in response.json()["results"]] == [str(w.owner.pk)]


def admin_logged_out(w, response):
    """Staff are logged out and sent to the login page; anyone else to the admin index."""
    staff = w.who in ("staff", "superuser")
    assert response["Location"] == reverse("login" if staff else "admin:index")
