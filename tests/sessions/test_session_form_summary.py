"""Issue 14, the session page on the server: a refused save sums up its errors at the top
with a link to each field and keeps the points' names under their codes, in a constant
number of queries; "repeat last session" keeps the conditions."""

import pytest

from ..html_parts import parse
from .page_support import nothing_saved, session_form

CODES = ["LI4", "GB20", "ST36", "LR3", "GV20"]


def rows_of(codes, **overrides):
    data = session_form(**{"points-TOTAL_FORMS": str(len(codes))})
    for i, code in enumerate(codes):
        data.update(
            {
                f"points-{i}-point": code.lower(),
                f"points-{i}-side": "left",
                f"points-{i}-tool": "thumb",
                f"points-{i}-duration_seconds": "60",
                f"points-{i}-pressure": "moderate",
                f"points-{i}-response": "",
            }
        )
    data.update(overrides)
    return data


@pytest.mark.parametrize("rows", [1, 5])
def test_a_refused_save_takes_the_same_queries_for_one_row_or_five(
    as_practitioner, catalogue, create_url, django_assert_num_queries, rows
):
    data = rows_of(CODES[:rows], pain_before="11")
    # session, user, practitioner, clinic, the client, the conditions ticked, the pain
    # checks of the model (savepoint, check, release); for every row at once: all tools,
    # the rows' points; the rows' cautions: the client's flags, the caution rules, the age
    # flags; the check-in: the active conditions, their warning signs (and their
    # conditions); the state of the client's history and (not yet kept) their own hold
    # defaults; the condition boxes; the body figure's points
    with django_assert_num_queries(21):
        response = as_practitioner.post(create_url, data)
    assert response.status_code == 200
    names = [n.text for n in parse(response.content.decode()).all(cls="point-name")]
    assert len(names) == rows + 1  # and the empty row's template
    assert names[0] == "LI4 Hegu · Joining Valley"
    assert nothing_saved()


def test_the_summary_links_each_error_to_its_field_in_the_pages_order(
    as_practitioner, catalogue, create_url
):
    data = rows_of(
        ["LI4", "ZZ99", "GB20"],
        pain_before="11",
        outcome="magical",
        **{"points-2-duration_seconds": "0"},
    )
    response = as_practitioner.post(create_url, data)
    page = parse(response.content.decode())
    summary = page.one(testid="error-summary")
    assert summary.attrs["role"] == "alert" and summary.attrs["tabindex"] == "-1"
    links = [(a.attrs["href"], a.text) for a in summary.all("a")]
    assert links == [
        ("#id_pain_before", "Pain before (0–10): Ensure this value is less than or equal to 10."),
        (
            "#id_points-1-point",
            "Point 2, point: Unknown or retired point: zz99. Type a code such as LI4, or pick "
            "from the list.",
        ),
        ("#id_points-2-duration_seconds", "Point 3, seconds: The duration must be more than zero."),
        (
            "#id_outcome",
            "Outcome: Select a valid choice. magical is not one of the available choices.",
        ),
    ]
    # Each link's field is on the page; the names stay under the codes that are known.
    for href, _ in links:
        assert page.all(id=href[1:])
    rows = page.one(id="point-rows").all(testid="point-row")
    assert [row.one(cls="point-name").text for row in rows] == [
        "LI4 Hegu · Joining Valley",
        "",
        "GB20 Fengchi · Wind Pool",
    ]
    assert rows[1].one("input", name="points-1-point").attrs["value"] == "zz99"  # as typed


def test_a_good_page_has_no_summary(as_practitioner, catalogue, create_url):
    page = parse(as_practitioner.get(create_url).content.decode())
    assert page.all(testid="error-summary") == []


def test_the_hidden_delete_box_is_out_of_the_tab_order(as_practitioner, catalogue, create_url):
    as_practitioner.post(create_url, session_form())
    page = parse(as_practitioner.get(create_url, {"repeat": "last"}).content.decode())
    for box in page.one(id="point-rows").all("input", type="checkbox"):
        assert box.attrs["name"].endswith("-DELETE") and box.attrs["tabindex"] == "-1"


def test_repeat_last_session_keeps_the_conditions_and_not_the_responses(
    as_practitioner, catalogue, create_url
):
    as_practitioner.post(create_url, session_form())  # neck pain; LI4 relief, GB20 tender
    response = as_practitioner.get(create_url, {"repeat": "last"})
    page = parse(response.content.decode())
    ticked = [
        box.attrs["value"] for box in page.all("input", name="conditions") if "checked" in box.attrs
    ]
    assert ticked == ["neck-pain"]
    rows = page.one(id="point-rows").all(testid="point-row")
    assert [row.one(cls="point-name").text for row in rows] == [
        "LI4 Hegu · Joining Valley",
        "GB20 Fengchi · Wind Pool",
    ]
    assert [form.initial["response"] for form in response.context["formset"].forms] == ["", ""]
    assert [form.initial["tool"] for form in response.context["formset"].forms] == [
        "thumb",
        "thumb",
    ]
