"""Issue 11: the permission matrix rows for the team pages. A clinic manager lists the
clinic's practitioners, adds one, changes a role or deactivates, and sets the clinic's
second factor; any other practitioner gets 403 (the rules of whose session or sheet it is
are in routes.py's rows)."""

from django.urls import reverse

from clinic.access import NOT_A_MANAGER
from clinic.models import Practitioner

from .support import LOGIN, Row, get, post

REFUSED = {"owner": 403, "colleague": 403, "outsider": 403, "no_profile": 403}
REFUSED["anonymous"] = LOGIN


def managers(status):
    return {**REFUSED, "manager": status}


def not_a_manager(w):
    return NOT_A_MANAGER


def pages(name, *calls):
    return Row(name, "page", calls)


def lists_the_clinics_team(w, response):
    page = response.content.decode()
    for someone in (w.owner, w.colleague, w.manager):
        assert f'data-testid="member-{someone.user.username}"' in page
    assert w.outsider.user.username not in page


NEW_PRACTITIONER = {
    "display_name": "Eve Ng",
    "username": "eve",
    "email": "eve@example.org",
    "role": "practitioner",
}


def added_to_the_managers_clinic(w, response):
    assert response["Location"] == reverse("clinic:team")
    eve = Practitioner.objects.select_related("user").get(user__username="eve")
    expected = (w.manager.clinic, "practitioner", "eve@example.org")
    assert (eve.clinic, eve.role, eve.user.email) == expected


def owner_made_a_manager(w):
    # A checkbox as True: any text in it is ticked, so it is no text field to send a NUL in.
    return {"role": "manager", "is_active": True, "revision": str(w.owner.revision)}


def owner_is_a_manager(w, response):
    assert Practitioner.objects.get(pk=w.owner.pk).role == Practitioner.Role.MANAGER


def second_factor_on(w):
    return {"requires_second_factor": True, "revision": str(w.owner.clinic.revision)}


def clinic_requires_it(w, response):
    w.owner.clinic.refresh_from_db()
    assert w.owner.clinic.requires_second_factor


ROWS = [
    pages(
        "clinic:team",
        get((), managers(200), check=lists_the_clinics_team, needs=("outsider", "colleague")),
    ),
    pages(
        "clinic:team-add",
        get((), managers(200), refusal=not_a_manager),
        post(
            (),
            managers(302),
            body=NEW_PRACTITIONER,
            check=added_to_the_managers_clinic,
            refusal=not_a_manager,
        ),
    ),
    pages(
        "clinic:team-member",
        get(("owner.pk",), managers(200), refusal=not_a_manager),
        post(
            ("owner.pk",),
            managers(302),
            body=owner_made_a_manager,
            check=owner_is_a_manager,
            refusal=not_a_manager,
        ),
    ),
    pages(
        "clinic:team-second-factor",
        get((), managers(405)),
        post((), managers(302), body=second_factor_on, check=clinic_requires_it),
    ),
]
