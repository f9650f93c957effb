"""Client search reads each client's words (clinic/client_search.py): the start of a name,
an email part or the phone's digits, accents and case aside, in the clinic's own clients."""

import pytest
from django.urls import reverse

from clinic.client_search import words_of
from clinic.models import ClientSearchWord

from ..factories import ClientFactory, ClinicFactory

LIST = reverse("clinic:client-list")


@pytest.fixture
def clients(practitioner):
    clinic = practitioner.clinic
    return {
        "zoe": ClientFactory(clinic=clinic, first_name="Zoë", last_name="Ñúñez",
                             phone="+44 7700 900123", email="zoe.nunez@example.org"),
        "obrien": ClientFactory(clinic=clinic, first_name="Seán", last_name="O'Brien-Kelly",
                                preferred_name="Shaun", phone="01632 960001",
                                email="sob@example.net"),
        "smith": ClientFactory(clinic=clinic, first_name="Ann", last_name="Smith",
                               phone="020 7946 0000", email="ann@example.com"),
    }  # fmt: skip


def found(http, query, **params):
    response = http.get(LIST, {"q": query, **params})
    assert response.status_code == 200
    return sorted(c.last_name for c in response.context["clients"])


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("zoe", ["Ñúñez"]),
        ("ZOË nun", ["Ñúñez"]),
        ("nunez", ["Ñúñez"]),
        ("sea", ["O'Brien-Kelly"]),
        ("shaun", ["O'Brien-Kelly"]),
        ("obrien", ["O'Brien-Kelly"]),
        ("o'brien", ["O'Brien-Kelly"]),
        ("kelly", ["O'Brien-Kelly"]),
        ("447700", ["Ñúñez"]),
        ("900123", ["Ñúñez"]),
        ("7946 0000", ["Smith"]),
        ("example", ["O'Brien-Kelly", "Smith", "Ñúñez"]),
        ("zoe.nunez@example.org", ["Ñúñez"]),
        ("mith", []),  # a word's start, not any part of it
        ("smith zoe", []),  # every word of the query
        ("", ["O'Brien-Kelly", "Smith", "Ñúñez"]),
        ("   ", ["O'Brien-Kelly", "Smith", "Ñúñez"]),
        ("%", ["O'Brien-Kelly", "Smith", "Ñúñez"]),  # no word in it: no filter
        ("_mith", []),
    ],
)
def test_search_finds_by_the_start_of_a_word(as_practitioner, clients, query, names):
    assert found(as_practitioner, query) == names


def test_another_clinics_clients_are_never_found(as_practitioner, clients):
    ClientFactory(clinic=ClinicFactory(), first_name="Ann", last_name="Smithers")
    assert found(as_practitioner, "smith") == ["Smith"]


def test_an_edit_changes_the_words(as_practitioner, clients):
    smith = clients["smith"]
    smith.last_name = "Jones"
    smith.save()
    assert found(as_practitioner, "smith") == []
    assert found(as_practitioner, "jones") == ["Jones"]
    assert set(smith.search_words.values_list("word", flat=True)) == words_of(smith)


def test_archiving_keeps_the_words_and_the_status_filter_applies(as_practitioner, clients):
    clients["smith"].archive()
    assert found(as_practitioner, "ann") == []
    assert found(as_practitioner, "ann", status="archived") == ["Smith"]
    assert ClientSearchWord.objects.filter(client=clients["smith"], word="smith").exists()


def test_the_api_searches_the_same_way(api_as_practitioner, clients):
    response = api_as_practitioner.get("/api/v1/clients/", {"search": "nunez"})
    assert response.status_code == 200
    assert [c["last_name"] for c in response.json()["results"]] == ["Ñúñez"]
    response = api_as_practitioner.get("/api/v1/clients/", {"search": "mith"})
    assert response.json()["results"] == []


def test_a_long_query_is_cut_not_refused(as_practitioner, clients):
    assert found(as_practitioner, "smith " + "a" * 500) == []
    assert found(as_practitioner, "s" * 300) == []
