import pytest
from django.urls import reverse

from ..factories import IndicationFactory, PointFactory

PAGES = [
    reverse("catalogue:point-list"),
    reverse("catalogue:point-detail", args=["LI4"]),
    reverse("catalogue:condition-detail", args=["neck-pain"]),
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_work_for_practitioners_and_no_one_else(
    client, catalogue, practitioner, outsider, no_profile_user, url
):
    for user in (practitioner.user, outsider.user):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(no_profile_user)
    assert client.get(url).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_search_box_sends_q_and_ranks_the_exact_code_first(as_practitioner, catalogue):
    response = as_practitioner.get(reverse("catalogue:point-list"), {"q": "LI 4"})
    assert response.context["points"][0].code == "LI4"
    assert "<svg" in response.content.decode()


@pytest.mark.parametrize(
    "params,expected,absent",
    [
        ({"meridian": "SI"}, "SI3", "LI4"),
        ({"region": "foot"}, "KI1", "LI4"),
        ({"condition": "neck-pain"}, "GB20", "KI1"),
        ({"self_care": "false", "q": "GV26"}, "GV26", "LI4"),
        ({"q": "neck pain", "region": "hand"}, "SI3", "GB20"),
    ],
)
def test_filters(as_practitioner, catalogue, params, expected, absent):
    response = as_practitioner.get(reverse("catalogue:point-list"), {**params, "page": 1})
    found = [p.code for p in response.context["points"]]
    assert expected in found and absent not in found


def test_bad_filters_give_a_message_not_a_500(as_practitioner, catalogue):
    response = as_practitioner.get(reverse("catalogue:point-list"), {"meridian": "XX"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert list(response.context["points"]) == []


def test_the_point_page_shows_picture_conditions_and_cautions(as_practitioner, catalogue):
    response = as_practitioner.get(reverse("catalogue:point-detail", args=["li4"]))
    html = response.content.decode()
    assert 'aria-label="LI4 marked on the hand and wrist figure"' in html
    assert "point-marker" in html
    assert "Headache" in html and "4 sources" in html
    assert "use practitioner judgement" in html
    assert "web between" in html.lower() or "thumb" in html.lower()


def test_an_unknown_point_is_404(as_practitioner, catalogue):
    assert as_practitioner.get(reverse("catalogue:point-detail", args=["ZZ9"])).status_code == 404


def test_the_condition_page_lists_points_with_their_sources(as_practitioner, catalogue):
    response = as_practitioner.get(reverse("catalogue:condition-detail", args=["neck-pain"]))
    rows = [(i.point.code, i.source_count) for i in response.context["indications"]]
    assert rows[0][1] == 5
    assert ("SI3", 3) in rows


@pytest.mark.parametrize("rows", [1, 30])
def test_list_and_search_query_counts_are_constant(
    as_practitioner, practitioner, django_assert_num_queries, rows
):
    for n in range(rows):
        point = PointFactory(code=f"LI{n + 1}", number=n + 1)
        IndicationFactory(point=point, condition__slug="neck", condition__name="Neck pain")
    # session, user, practitioner, clinic, count, filter choices (meridians,
    # conditions), conditions menu, page of points (meridian and tool joined),
    # session save in a savepoint (3).
    with django_assert_num_queries(12):
        as_practitioner.get(reverse("catalogue:point-list"))
    with django_assert_num_queries(12):
        as_practitioner.get(reverse("catalogue:point-list"), {"q": "neck pain"})


@pytest.mark.parametrize("rows", [1, 30])
def test_condition_page_query_count_is_constant(as_practitioner, django_assert_num_queries, rows):
    for n in range(rows):
        IndicationFactory(
            point=PointFactory(code=f"LI{n + 1}", number=n + 1),
            condition__slug="neck",
            condition__name="Neck pain",
        )
    # session, user, practitioner, clinic, condition, its points, session save (3)
    with django_assert_num_queries(9):
        as_practitioner.get(reverse("catalogue:condition-detail", args=["neck"]))
