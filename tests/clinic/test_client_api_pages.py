"""The API's client list in pages read off the name index (clinic/api_keyset.py): every
client once, in name order, forwards and back, through runs of the same name, with a search,
at a cost that does not grow with the clinic."""

import pytest

from clinic.keyset import position
from clinic.models import Client

from ..factories import ClientFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/clients/"


def position_of(pk):
    return position(Client.objects.get(pk=pk), ["last_name", "first_name", "pk"])


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

    last = api_as_practitioner.get(LIST, {"after": position_of(forward[1][-1])}).json()
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


def test_a_client_archived_or_renamed_after_a_page_was_shown_skips_no_one(
    api_as_practitioner, clinic_of_60
):
    first = api_as_practitioner.get(LIST, {"archived": "false"}).json()
    shown = [c["id"] for c in first["results"]]
    Client.objects.get(pk=shown[-1]).archive()  # the anchor of `next` leaves the list
    renamed = Client.objects.get(pk=shown[-2])
    renamed.last_name = "Zzzz"
    renamed.save()
    rest = sum(walk(api_as_practitioner, first["next"], "next"), [])
    assert rest == [pk for pk in clinic_of_60 if pk not in shown] + [renamed.pk]


# W10= is [], then ["a","b",-1], ["a\u0000","b",1], ["\ud800","b",1], [[[...: not places.
NOT_PLACES = [
    "999999",
    "abc",
    "W10=",
    "WyJhIiwiYiIsLTFd",
    "WyJhXHUwMDAwIiwiYiIsMV0",
    "WyJcdWQ4MDAiLCJiIiwxXQ",
    pytest.param("W1tb" * 334, id="1002 ["),  # past json's recursion limit (a review's 500)
]


@pytest.mark.parametrize("place", NOT_PLACES)
def test_a_place_that_is_not_ours_is_a_404_in_json(api_as_practitioner, clinic_of_60, place):
    answer = api_as_practitioner.get(LIST, {"after": place})
    assert answer.status_code == 404
    assert answer.json() == {"detail": "No such page: follow the list's next and previous links."}


def test_after_and_before_together_is_a_field_error(api_as_practitioner, clinic_of_60):
    place = position_of(clinic_of_60[10])
    answer = api_as_practitioner.get(LIST, {"after": place, "before": place})
    assert answer.status_code == 400
    assert answer.json() == {"before": ["Give after or before, not both."]}


def test_a_later_page_costs_one_query_however_far_in(
    api_as_practitioner, clinic_of_60, django_assert_num_queries
):
    # The page after the place its link holds, off the name index (no count, no OFFSET,
    # no lookup of the client it follows).
    place = position_of(clinic_of_60[49])
    with django_assert_num_queries(1):
        answer = api_as_practitioner.get(LIST, {"after": place})
    assert [c["id"] for c in answer.json()["results"]] == clinic_of_60[50:]
