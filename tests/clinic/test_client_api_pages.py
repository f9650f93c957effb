"""The API's client list in pages read off the name index (clinic/api_keyset.py): every
client once, in name order, forwards and back, through runs of the same name, with a search,
at a cost that does not grow with the clinic."""

import pytest

from clinic.models import Client

from ..factories import ClientFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/clients/"


def walk(api, url, link):
    """Every page's client ids, following `link` ("next" or "previous") from `url`."""
    pages = []
    while url:
        answer = api.get(url)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        pages.append([client["id"] for client in body["results"]])
        url = body[link]
    return pages


@pytest.fixture
def clinic_of_60(practitioner):
    # 30 called Ann Okonkwo (one name, so the pages turn on the id alone), and 30 others.
    ClientFactory.create_batch(
        30, clinic=practitioner.clinic, first_name="Ann", last_name="Okonkwo"
    )
    ClientFactory.create_batch(30, clinic=practitioner.clinic)
    ClientFactory.create_batch(5)  # another clinic's
    in_order = Client.objects.filter(clinic=practitioner.clinic).order_by(
        "last_name", "first_name", "pk"
    )
    return list(in_order.values_list("pk", flat=True))


def test_next_and_previous_walk_every_client_once_in_name_order(api_as_practitioner, clinic_of_60):
    forward = walk(api_as_practitioner, LIST, "next")
    assert [len(page) for page in forward] == [25, 25, 10]
    assert sum(forward, []) == clinic_of_60

    last = api_as_practitioner.get(LIST, {"after": forward[1][-1]}).json()
    assert [c["id"] for c in last["results"]] == forward[2] and last["next"] is None
    backward = walk(api_as_practitioner, last["previous"], "previous")
    assert backward == [forward[1], forward[0]]


def test_a_search_pages_through_its_own_matches(api_as_practitioner, clinic_of_60):
    pages = walk(api_as_practitioner, f"{LIST}?search=okonkwo", "next")
    okonkwos = list(
        Client.objects.filter(pk__in=clinic_of_60, last_name="Okonkwo")
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", flat=True)
    )
    assert [len(page) for page in pages] == [25, 5] and sum(pages, []) == okonkwos


@pytest.mark.parametrize("anchor", ["999999", "abc", "outsider's"])
def test_an_anchor_not_in_the_list_is_a_404_in_json(api_as_practitioner, clinic_of_60, anchor):
    if anchor == "outsider's":
        anchor = Client.objects.exclude(pk__in=clinic_of_60).first().pk
    answer = api_as_practitioner.get(LIST, {"after": anchor})
    assert answer.status_code == 404
    assert answer.json() == {"detail": "No such page: that client is not in this list (any more)."}


def test_a_later_page_costs_two_queries_however_far_in(
    api_as_practitioner, clinic_of_60, django_assert_num_queries
):
    # The anchor's name, then the page after it off the name index (no count, no OFFSET).
    with django_assert_num_queries(2):
        answer = api_as_practitioner.get(LIST, {"after": clinic_of_60[49]})
    assert [c["id"] for c in answer.json()["results"]] == clinic_of_60[50:]
