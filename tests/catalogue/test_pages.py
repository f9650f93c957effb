import pytest
from django.urls import reverse

from catalogue.models import CautionRule, Point

from ..factories import IndicationFactory, PointFactory
from ..html_parts import parse

HAND_RULE_FLAGS = ["diabetes-neuropathy", "cancer", "lymphoedema", "all-clients"]


def point_page(client, code):
    response = client.get(reverse("catalogue:point-detail", args=[code]))
    assert response.status_code == 200
    return parse(response.content.decode())


def test_the_search_box_sends_q_and_ranks_the_exact_code_first(as_practitioner, catalogue):
    response = as_practitioner.get(reverse("catalogue:point-list"), {"q": "LI 4"})
    assert response.context["points"][0].code == "LI4"
    page = parse(response.content.decode())
    box = page.one("form", role="search").one("input", type="search")
    assert (box.attrs["name"], box.attrs["value"]) == ("q", "LI 4")
    first = page.one(testid="results").all("div", cls="point-card")[0]
    assert first.one("h2").one("a").text == "LI4 Hegu"
    assert first.one("div", cls="point-thumb").all("svg")


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
    # Every match is on this one page, so "absent" is checked against all of them.
    assert not response.context["is_paginated"]
    assert len(found) == response.context["paginator"].count
    assert expected in found and absent not in found


def test_bad_filters_give_a_message_not_a_500(as_practitioner, catalogue):
    response = as_practitioner.get(reverse("catalogue:point-list"), {"meridian": "XX"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert list(response.context["points"]) == []


def test_the_point_page_shows_picture_conditions_and_cautions(as_practitioner, catalogue):
    li4 = Point.objects.get(code="LI4")
    page = point_page(as_practitioner, "li4")
    picture = page.one("figure", testid="point-picture")
    assert picture.one(aria_label="LI4 marked on both sides: backs of the hands and outer wrists")
    assert len(picture.all(cls="point-marker")) == 2
    indications = page.all(testid="indication")
    assert sorted(li.text.split(" · ")[0] for li in indications) == sorted(
        i.condition.name for i in li4.indications.all()
    )
    headache = next(li for li in indications if li.text.startswith("Headache · 4 sources"))
    # Which of the shared sources cite it for headache, by key and citation.
    cited = [source.text for source in headache.all(testid="source")]
    assert len(cited) == 4 and cited[0].startswith("LU2021 Lu L et al.")
    # The rules that name LI4 and those for its region (the hand), for any client.
    cautions = [alert.text for alert in page.all(testid="caution")]
    keys = ["pregnancy-point-li4", *(f"{flag}-region-hand" for flag in HAND_RULE_FLAGS)]
    rules = [CautionRule.objects.get(key=key) for key in keys]
    assert len(cautions) == len(rules)
    for text, rule in zip(cautions, rules, strict=True):
        assert text.startswith(f"{rule.flag.label} (") and rule.practitioner_note in text
    pregnancy = rules[0]
    assert cautions[0] == (
        f"Pregnancy (this point): Take care. {pregnancy.practitioner_note} Traditional only"
    )
    assert cautions[1].startswith("Reduced feeling in the feet or hands (neuropathy) (hand): ")
    assert cautions[-1].endswith("Some sources")


@pytest.mark.parametrize("code,other", [("LI4", "KI1"), ("KI1", "LI4")])
def test_the_point_page_shows_its_own_location_and_self_care_text(
    as_practitioner, catalogue, code, other
):
    point, other_point = Point.objects.get(code=code), Point.objects.get(code=other)
    assert point.location and point.location != other_point.location
    page = point_page(as_practitioner, code)
    assert page.one("h2", text="Location").next_element().text == point.location
    instructions = page.one("h2", text="Self-care instructions").next_element()
    assert instructions.text == point.self_care_instructions
    assert other_point.location not in page.text


def test_the_location_comes_from_the_database_and_a_missing_one_is_marked(
    as_practitioner, catalogue
):
    Point.objects.filter(code="LI4").update(location="Our clinic's own wording.")
    Point.objects.filter(code="KI1").update(location="")
    location = point_page(as_practitioner, "LI4").one("h2", text="Location").next_element()
    assert location.text == "Our clinic's own wording."
    location = point_page(as_practitioner, "KI1").one("h2", text="Location").next_element()
    assert location.text == "Not written yet."


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
    # conditions), conditions menu, page of points (meridian and tool joined).
    with django_assert_num_queries(9):
        as_practitioner.get(reverse("catalogue:point-list"))
    with django_assert_num_queries(9):
        as_practitioner.get(reverse("catalogue:point-list"), {"q": "neck pain"})


@pytest.mark.parametrize("rows", [1, 30])
def test_condition_page_query_count_is_constant(as_practitioner, django_assert_num_queries, rows):
    for n in range(rows):
        IndicationFactory(
            point=PointFactory(code=f"LI{n + 1}", number=n + 1),
            condition__slug="neck",
            condition__name="Neck pain",
        )
    # session, user, practitioner, clinic, condition, its points
    with django_assert_num_queries(6):
        as_practitioner.get(reverse("catalogue:condition-detail", args=["neck"]))


def test_a_point_not_for_self_care_says_why(as_practitioner, catalogue):
    page = point_page(as_practitioner, "GV26")
    assert page.one(testid="not-self-care").text == (
        "Not for self-care: needs a trained hand. It does not go on home-care sheets."
    )
    assert page.one(testid="self-care").text == "No: needs a trained hand"


def test_a_self_care_point_says_how(as_practitioner, catalogue):
    assert point_page(as_practitioner, "BL23").one(testid="self-care").text.startswith("Yes: ")
