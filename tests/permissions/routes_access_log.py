"""Issue 11: the permission matrix rows for the access log page and the record export;
routes.py adds ROWS to MATRIX."""

from clinic.access_log import AccessEvent, record

from .support import LOGIN, Row, get

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


ROWS = [
    Row(
        "clinic:access-log",
        "page",
        (get((), MANAGER_ONLY, body=views_in_both_clinics, check=own_clinic_views_only),),
    ),
]
