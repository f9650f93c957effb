"""The booking form's client menu lists a page of clients, not the clinic's thousands: the
client chosen, and those found by name (?find=) or else the most recently updated; any
active client of the clinic is still accepted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scheduling.forms.appointments import CLIENTS_LISTED
from scheduling.models import Appointment

from ..factories import ClientFactory
from ..html_parts import parse
from .conftest import local_at

BOOK = reverse("scheduling:appointment-create")


def listed(response):
    menu = parse(response.content.decode()).one("select", name="client")
    return [option.text for option in menu.all("option") if option.attrs["value"]]


def form(client, practitioner, day):
    start = timezone.localtime(local_at(day, 10))
    return {
        "client": client.pk,
        "practitioner": practitioner.pk,
        "starts_at": f"{start:%Y-%m-%dT%H:%M}",
        "minutes": 45,
    }


@pytest.fixture
def many(practitioner):
    clinic = practitioner.clinic
    return ClientFactory.create_batch(CLIENTS_LISTED + 10, clinic=clinic, last_name="Nguyen")


@pytest.mark.parametrize("rows", [1, 40])
def test_the_form_lists_the_latest_updated_and_its_queries_stay_the_same(
    as_practitioner, practitioner, django_assert_num_queries, rows
):
    clients = ClientFactory.create_batch(rows, clinic=practitioner.clinic)
    # session, user, practitioner, clinic, whether rooms are in use, the listed clients,
    # practitioners (menu and chosen), types.
    with django_assert_num_queries(9):
        response = as_practitioner.get(BOOK)
    newest = sorted(clients, key=lambda c: (c.updated_at, c.pk), reverse=True)
    assert listed(response) == [str(c) for c in newest[:CLIENTS_LISTED]]


def test_a_prefilled_client_is_listed_and_chosen_beyond_the_page(
    as_practitioner, practitioner, many
):
    oldest = many[0]
    response = as_practitioner.get(BOOK, {"client": oldest.pk})
    menu = parse(response.content.decode()).one("select", name="client")
    assert [o.attrs["value"] for o in menu.all("option") if "selected" in o.attrs] == [
        str(oldest.pk)
    ]
    assert len(listed(response)) == CLIENTS_LISTED + 1


def test_find_lists_those_whose_names_start_so(as_practitioner, practitioner, many):
    hale = ClientFactory(clinic=practitioner.clinic, first_name="Margaret", last_name="Hale")
    ClientFactory(
        clinic=practitioner.clinic,
        first_name="Margaret",
        last_name="Hall",
        archived_at=timezone.now(),
    )
    response = as_practitioner.get(BOOK, {"find": "marg ha", "start": "2030-01-07T10:00"})
    assert listed(response) == [str(hale)]
    page = parse(response.content.decode())
    # The search keeps the slot the calendar asked for.
    search = page.one(testid="client-find")
    assert search.one("input", name="start").attrs["value"] == "2030-01-07T10:00"
    assert search.one("input", id="client-find").attrs["value"] == "marg ha"


def test_find_says_when_nobody_matches(as_practitioner, many):
    response = as_practitioner.get(BOOK, {"find": "zzz"})
    assert listed(response) == []
    assert "No active client’s name starts with “zzz”." in response.content.decode()


def test_a_client_not_listed_is_booked(as_practitioner, practitioner, many, tomorrow):
    response = as_practitioner.post(BOOK, form(many[0], practitioner, tomorrow))
    assert response.status_code == 302, response.context["form"].errors
    assert Appointment.objects.get().client == many[0]


@pytest.mark.parametrize("whose", ["archived", "other clinic"])
def test_a_client_not_bookable_is_refused_beside_the_field(
    as_practitioner, practitioner, tomorrow, whose
):
    if whose == "archived":
        client = ClientFactory(
            clinic=practitioner.clinic, archived_at=timezone.now() - timedelta(days=1)
        )
    else:
        client = ClientFactory()
    response = as_practitioner.post(BOOK, form(client, practitioner, tomorrow))
    assert response.status_code == 200
    assert "Select a valid choice" in response.context["form"].errors["client"][0]
    assert str(client) not in listed(response)
    assert not Appointment.objects.exists()


def test_a_refused_booking_keeps_its_client_chosen_beyond_the_page(
    as_practitioner, practitioner, many, tomorrow
):
    posted = {**form(many[0], practitioner, tomorrow), "minutes": ""}
    response = as_practitioner.post(BOOK, posted)
    assert response.status_code == 200
    menu = parse(response.content.decode()).one("select", name="client")
    assert [o.attrs["value"] for o in menu.all("option") if "selected" in o.attrs] == [
        str(many[0].pk)
    ]
    assert not Appointment.objects.exists()


def test_what_was_searched_is_shown_escaped(as_practitioner, many):
    response = as_practitioner.get(BOOK, {"find": "<script>alert(1)</script> ngu"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ngu" in html


def test_a_search_of_no_words_lists_the_latest_updated(as_practitioner, many):
    response = as_practitioner.get(BOOK, {"find": "!!! --"})
    newest = sorted(many, key=lambda c: (c.updated_at, c.pk), reverse=True)
    assert listed(response) == [str(c) for c in newest[:CLIENTS_LISTED]]


def test_an_archived_client_prefilled_is_not_offered(as_practitioner, practitioner, many):
    gone = ClientFactory(clinic=practitioner.clinic, archived_at=timezone.now())
    response = as_practitioner.get(BOOK, {"client": gone.pk})
    assert str(gone) not in listed(response)
    assert len(listed(response)) == CLIENTS_LISTED
