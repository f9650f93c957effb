"""Issue 11: the permission matrix rows for the access log page and the record export;
routes.py adds ROWS to MATRIX."""

from clinic.access_log import AccessEvent, record

from .support import LOGIN, Row, api, get, page

# The clinic manager's page: every other practitioner is refused, whatever their clinic.
MANAGER_ONLY = {
    "owner": 403,
    "colleague": 403,
    "manager": 200,
    "outsider": 403,
    "no_profile": 403,
    "anonymous": LOGIN,
}


def views_in_both_clinics(w):
    """A view by the owner and one by the outsider; the page is asked for views only."""
    for who in (w.owner, w.outsider):
        record(
            action=AccessEvent.Action.VIEW,
            user=who.user,
            client=w.client if who == w.owner else None,
            record_type=AccessEvent.RecordType.CLIENT,
        )
    return {"action": AccessEvent.Action.VIEW}


def own_clinic_views_only(w, response):
    """The owner's view is listed, the outsider's (another clinic) is not."""
    events = list(response.context["events"])
    assert [(event.user, event.client) for event in events] == [(w.owner.user, w.client)]


CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}


def exported(export_format, detail):
    """The export's file, and its entry in the log by the one who asked."""

    def check(w, response):
        assert response["Content-Type"] == CONTENT_TYPES[export_format]
        latest = AccessEvent.objects.filter(action=AccessEvent.Action.EXPORT).latest("pk")
        assert (latest.user, latest.client, latest.detail) == (w.user, w.client, detail)

    return check


def exports(expect, suffix=""):
    return tuple(
        get(
            ("client.pk",),
            expect,
            body={"format": export_format},
            check=exported(export_format, export_format.upper() + suffix),
        )
        for export_format in ("json", "pdf")
    )


ROWS = [
    Row("records:client-export", "page", exports(page())),
    Row("api:client-export", "api", exports(api(), suffix=", API")),
    Row(
        "clinic:access-log",
        "page",
        (get((), MANAGER_ONLY, body=views_in_both_clinics, check=own_clinic_views_only),),
    ),
]
