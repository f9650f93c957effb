"""The admin's rows of the permission matrix (routes.py assembles every row). The model
pages are made from admin.site._registry, so a newly registered model has its rows; the
admin's other views are listed by hand, so a new one fails the coverage check until it has
a row."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import CautionRule, Condition, HealthFlag, Point, PressureTool, WarningSign
from clinic.access_log import AccessEvent, record
from clinic.api_tokens import ApiToken
from clinic.models import Client
from homecare.models import HomeCareSheet
from letters.models import ReferralLetter
from scheduling.models import Appointment, AppointmentType, Reminder, Room, TreatmentPlan
from sessions.models import TreatmentSession

from ..factories import CautionFactory, WarningSignFactory
from ..otp import give_app
from . import checks as c
from . import scheduling_admin_objects as diary
from .support import ADMIN_LOGIN, ADMIN_USERS, Row, get, post

# --- the admin: staff only; a staff user without permissions sees the index only --------

STAFF = dict(zip(ADMIN_USERS, [200, 200, ADMIN_LOGIN, ADMIN_LOGIN], strict=True))
PERMITTED = {**STAFF, "staff": 403}
READ_ONLY = {  # shown, never written
    *(TreatmentSession, HomeCareSheet, ReferralLetter, AccessEvent),
    *(Appointment, TreatmentPlan, Reminder),  # issue 15's diary
}
# Never added or changed (a token is revoked, a lost second factor removed: deleted).
NOT_WRITTEN = {*READ_ONLY, ApiToken, TOTPDevice}
# The superuser's only, whatever permissions a staff user holds: clinical records, and
# everyone's API tokens.
SUPERUSER_ONLY = {Client, *READ_ONLY, ApiToken}
# Retired, never deleted: what clinical records cite, and the caution vocabulary and rules.
NEVER_DELETED = {
    *(Point, Condition, PressureTool, HealthFlag, CautionRule, WarningSign),
    *(Client, *READ_ONLY),
    *(Room, AppointmentType),  # retired: appointments cite them
}
ADMIN_OBJECTS = {  # by concrete model: the record each registered model's pages open
    "auth.Group": lambda w: Group.objects.create(name="Front desk"),
    "auth.User": lambda w: w.owner.user,
    "clinic.ApiToken": lambda w: w.api_token,
    "clinic.Clinic": lambda w: w.owner.clinic,
    "clinic.Practitioner": lambda w: w.owner,
    "otp_totp.TOTPDevice": lambda w: give_app(w.owner.user),
    "clinic.Client": lambda w: w.client,
    "clinic.AccessEvent": lambda w: record(action=AccessEvent.Action.LOGIN, user=w.owner.user),
    "catalogue.Point": lambda w: w.point,
    "catalogue.Condition": lambda w: w.condition,
    "catalogue.PressureTool": lambda w: w.point.default_tool,
    "catalogue.Meridian": lambda w: w.point.meridian,
    "catalogue.CautionRule": lambda w: CautionFactory(point=w.point),
    "catalogue.HealthFlag": lambda w: HealthFlag.objects.create(code="gout", label="Gout"),
    "catalogue.WarningSign": lambda w: WarningSignFactory(),
    "treatment_sessions.TreatmentSession": lambda w: w.draft,
    "homecare.HomeCareSheet": lambda w: w.draft_sheet,
    "letters.ReferralLetter": lambda w: w.draft_letter,
    # Issue 15's diary (scheduling_admin_objects.py).
    **diary.ADMIN_OBJECTS,
}


def admin_object(model):
    """The record a model's object pages open, built once per test."""
    label = model._meta.concrete_model._meta.label
    return lambda w: w.once(model, lambda: model.objects.get(pk=ADMIN_OBJECTS[label](w).pk))


def admin_pk(model):
    return lambda w: admin_object(model)(w).pk


def latest_history(model):
    return lambda w: admin_object(model)(w).history.latest().history_id


def admins(name, *calls):
    return Row(f"admin:{name}", "admin", calls)


def refused(expect):
    """Who is refused, posting here: nothing may change for them."""
    return {who: status for who, status in expect.items() if status != 200}


def roles(model, route, superuser):
    """Two more staff users, beside the superuser's answer: a catalogue editor has the
    catalogue as the superuser does, but deletes nothing, and nothing else; staff holding
    every permission have what the superuser has, but none of SUPERUSER_ONLY."""
    if model._meta.app_label == "catalogue":
        editor = 403 if route == "delete" else superuser
    else:
        editor = 403
    return {"editor": editor, "all_permissions": 403 if model in SUPERUSER_ONLY else superuser}


def model_rows(model, model_admin):
    info = f"{model._meta.app_label}_{model._meta.model_name}"
    obj = (admin_pk(model),)
    superuser = {
        "changelist": ((), 200),
        "add": ((), 403 if model in NOT_WRITTEN else 200),
        "change": (obj, 200),
        "delete": (obj, 403 if model in NEVER_DELETED else 200),
        "history": (obj, 200),
    }
    rows = []
    for route, (args, status) in superuser.items():
        expect = {**PERMITTED, "superuser": status, **roles(model, route, status)}
        calls = [get(args, expect)]
        if route in ("add", "change", "delete"):
            posted = 403 if route != "delete" and model in NOT_WRITTEN else status
            posting = {**expect, "superuser": posted, **roles(model, route, posted)}
            calls.append(post(args, refused(posting), body={}))
        rows.append(admins(f"{info}_{route}", *calls))
    if isinstance(model_admin, SimpleHistoryAdmin):
        history = (admin_pk(model), latest_history(model))
        expect = {**PERMITTED, **roles(model, "history", 200)}
        rows.append(admins(f"{info}_simple_history", get(history, expect)))
    return rows


def content_type(model):
    return lambda w: ContentType.objects.get_for_model(model).pk


EVERY_ROLE = {"editor": 200, "all_permissions": 200}


def lists_only_what_they_may_see(w, response):
    """The index lists the apps a user may open: an editor the catalogue alone; no one
    but the superuser the clients."""
    page = response.content.decode()
    if w.who == "editor":
        assert "Point catalogue" in page and "Users" not in page and "Clinics" not in page
    assert ("Clients" in page) == (w.who == "superuser"), w.who


AUTOCOMPLETE = {"app_label": "clinic", "model_name": "client", "field_name": "primary_practitioner"}
ADMIN_ROWS = [
    *[
        row
        for model, model_admin in admin.site._registry.items()
        for row in model_rows(model, model_admin)
    ],
    admins("index", get((), {**STAFF, **EVERY_ROLE}, check=lists_only_what_they_may_see)),
    admins("app_list", get((lambda w: "catalogue",), {**STAFF, "staff": 404, **EVERY_ROLE})),
    admins(
        "login",
        get(
            (),
            {"staff": 302, "superuser": 302, "practitioner": 200, "anonymous": 200},
            check=c.to_admin_index,
        ),
    ),
    admins(  # a logged-out or non-staff visitor is sent to the admin index, not its login
        "logout",
        get(
            (),
            {"staff": 405, "superuser": 405, "practitioner": 302, "anonymous": 302},
            check=c.admin_logged_out,
        ),
        post((), dict.fromkeys(STAFF, 302), check=c.admin_logged_out, effect=frozenset()),
    ),
    admins("password_change", get((), STAFF), post((), refused(STAFF), body={})),
    admins("password_change_done", get((), STAFF)),
    admins(
        "autocomplete",
        get((), PERMITTED, body=AUTOCOMPLETE, check=c.found_the_owner, needs=("owner",)),
    ),
    admins("jsi18n", get((), STAFF)),
    # No model has a get_absolute_url, so there is no site to view: 404 for staff.
    admins(
        "view_on_site",
        get((content_type(Client), "client.pk"), {**STAFF, "staff": 404, "superuser": 404}),
    ),
    admins(
        "auth_user_password_change",
        get(("owner.user.pk",), PERMITTED),
        post(("owner.user.pk",), refused(PERMITTED), body={}),
    ),
    admins("catalogue_point_export", get((), {**PERMITTED, **EVERY_ROLE})),
    admins(
        "catalogue_point_import",
        get((), {**PERMITTED, **EVERY_ROLE}),
        post((), refused(PERMITTED), body={}),
    ),
    admins(
        "catalogue_point_figure",
        get((), {**PERMITTED, **EVERY_ROLE}, body={"figure": "hand_back", "x": "50", "y": "50"}),
    ),
]
