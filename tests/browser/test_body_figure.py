"""The body figure of the session form: points picked by tapping them (on the side tapped),
the client's cautioned points marked, and pain marked, saved and shown again on the session
page and the client's timeline."""

import re

import pytest
from playwright.sync_api import expect

from sessions.models import TreatmentSession

from ..factories import ClientFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def pregnant_client(practitioner):
    return ClientFactory(
        clinic=practitioner.clinic, first_name="Priya", last_name="Shah", health_flags=["pregnancy"]
    )


def open_form(page, live_server, login, client):
    login("ana")
    page.goto(f"{live_server.url}/clients/{client.pk}/sessions/new/")
    page.get_by_label("Pain before (0–10)").fill("6")
    return page.get_by_test_id("body-figure")


def test_a_tapped_point_is_added_on_the_side_tapped_and_saved(
    page, live_server, login, practitioner, catalogue, pregnant_client, artifacts
):
    figure = open_form(page, live_server, login, pregnant_client)
    figure.get_by_label("View").select_option(label="Backs of the hands and outer wrists")
    hand = figure.locator('.body-view[data-view="hand_back"]')
    expect(hand).to_be_visible()

    # The backs of the hands show the client's left hand on the viewer's left.
    left, right = (
        hand.get_by_role("button", name=f"LI4 Hegu, {side}") for side in ("left", "right")
    )
    assert left.bounding_box()["x"] < hand.bounding_box()["x"] + hand.bounding_box()["width"] / 2
    assert right.bounding_box()["x"] > hand.bounding_box()["x"] + hand.bounding_box()["width"] / 2
    # A touch target of at least 44 px where the points are not crowded.
    hit = right.locator("circle.hit").bounding_box()
    assert hit["width"] >= 44, hit

    # LI4 is cautioned in pregnancy: marked on the figure, with the legend.
    expect(right).to_have_class(re.compile("is-cautioned"))
    expect(right).to_have_accessible_name(re.compile("caution for this client"))
    expect(figure.get_by_test_id("body-legend")).to_contain_text("Caution for this client")
    expect(hand.get_by_role("button", name="SI3 Houxi, right")).not_to_have_class(
        re.compile("is-cautioned")
    )

    right.click()
    row = page.get_by_test_id("point-row").nth(0)
    expect(row.get_by_role("combobox", name="Point")).to_have_value("LI4")
    expect(row.get_by_role("combobox", name="Side")).to_have_value("right")
    expect(row.get_by_test_id("caution-warning")).to_contain_text("Pregnancy")
    expect(right).to_have_class(re.compile("is-picked"))
    expect(left).not_to_have_class(re.compile("is-picked"))

    # From the keyboard: the left one, focused and pressed with Enter.
    left.focus()
    page.keyboard.press("Enter")
    second = page.get_by_test_id("point-row").nth(1)
    expect(second.get_by_role("combobox", name="Point")).to_have_value("LI4")
    expect(second.get_by_role("combobox", name="Side")).to_have_value("left")
    expect(left).to_have_class(re.compile("is-picked"))
    page.screenshot(path=artifacts / "body-figure-picked.png", full_page=True)

    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_test_id("pain")).to_have_text("6 → —")
    session = TreatmentSession.objects.get()
    assert [(tp.point.code, tp.side) for tp in session.treated_points.all()] == [
        ("LI4", "right"),
        ("LI4", "left"),
    ]


def test_the_figure_opens_on_the_first_rows_point_and_shows_it_picked(
    page, live_server, login, practitioner, catalogue, client_record
):
    login("ana")
    page.goto(f"{live_server.url}/clients/{client_record.pk}/sessions/new/")
    page.get_by_label("Pain before (0–10)").fill("6")
    page.get_by_role("button", name="Add point").click()
    row = page.get_by_test_id("point-row").nth(0)
    row.get_by_role("combobox", name="Point").fill("ST36")
    row.get_by_role("option", name="ST36 Zusanli").click()
    row.get_by_role("combobox", name="Side").select_option("left")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_test_id("pain")).to_be_visible()
    session = TreatmentSession.objects.get()

    page.goto(f"{live_server.url}/sessions/{session.pk}/edit/")
    figure = page.get_by_test_id("body-figure")
    expect(figure.get_by_label("View")).to_have_value("leg_front")
    legs = figure.locator('.body-view[data-view="leg_front"]')
    expect(legs.get_by_role("button", name="ST36 Zusanli, left")).to_have_class(
        re.compile("is-picked")
    )
    expect(legs.get_by_role("button", name="ST36 Zusanli, right")).not_to_have_class(
        re.compile("is-picked")
    )
    # The side changed in the row: the figure follows.
    page.get_by_test_id("point-row").nth(0).get_by_role("combobox", name="Side").select_option(
        "both"
    )
    expect(legs.get_by_role("button", name="ST36 Zusanli, right")).to_have_class(
        re.compile("is-picked")
    )


def test_a_painful_area_is_marked_saved_and_shown_on_the_session_and_timeline(
    page, live_server, login, practitioner, catalogue, client_record, artifacts
):
    figure = open_form(page, live_server, login, client_record)
    figure.get_by_label("View").select_option("lower_back")
    figure.get_by_role("button", name="Mark pain").click()
    figure.get_by_label("Intensity (1–10)").fill("7")
    figure.get_by_label("Size").select_option(label="Large")
    back = figure.locator('.body-view[data-view="lower_back"] svg')
    box = back.bounding_box()
    back.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.4})
    marks = figure.get_by_test_id("pain-mark")
    expect(marks).to_have_count(1)
    expect(marks.first).to_have_text("Lower back, sacrum and buttocks, left, intensity 7 — remove")
    expect(back.locator("circle.pain-mark")).to_have_count(1)

    # A second mark, removed again by tapping it; then one removed from the list.
    back.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.6})
    expect(marks).to_have_count(2)
    expect(marks.nth(1)).to_contain_text(", right, intensity 7")
    back.locator("circle.pain-mark").nth(1).click()
    expect(marks).to_have_count(1)
    back.click(position={"x": box["width"] * 0.6, "y": box["height"] * 0.8})
    figure.get_by_role("button", name=re.compile("Remove pain mark: .*right")).click()
    expect(marks).to_have_count(1)

    # In pain mode a tap on a point marks pain, it does not add the point.
    expect(page.get_by_test_id("point-row")).to_have_count(0)
    figure.get_by_role("button", name="Pick points").click()
    back_point = figure.locator('.body-view[data-view="lower_back"]').get_by_role(
        "button", name="BL23 Shenshu, left"
    )
    back_point.click()
    expect(
        page.get_by_test_id("point-row").nth(0).get_by_role("combobox", name="Point")
    ).to_have_value("BL23")

    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_test_id("pain")).to_have_text("6 → —")
    session = TreatmentSession.objects.get()
    [mark] = session.pain_marks
    assert mark["view"] == "lower_back" and mark["intensity"] == 7 and mark["radius"] == 11
    assert abs(mark["x"] - 30) < 1.5 and abs(mark["y"] - 40) < 1.5, mark

    shown = page.get_by_test_id("session-body")
    expect(shown.get_by_test_id("pain-mark")).to_have_text(
        "Pain: Lower back, sacrum and buttocks, left, intensity 7 (large)"
    )
    drawn = shown.locator('[data-view="lower_back"] svg')
    expect(drawn.locator("circle.pain-mark")).to_have_count(1)
    expect(drawn.locator(".point-marker")).to_have_count(1)  # BL23, on the left only
    assert drawn.bounding_box()["width"] <= 260, drawn.bounding_box()
    expect(drawn).to_have_attribute("aria-label", re.compile("pressed BL23 \\(left\\)"))
    page.screenshot(path=artifacts / "session-pain-marks.png", full_page=True)

    page.get_by_role("link", name=client_record.display_name).first.click()
    timeline = page.get_by_test_id("timeline-session").first
    expect(timeline.get_by_test_id("timeline-pain").locator("circle.pain-mark")).to_have_count(1)
    expect(timeline.get_by_test_id("timeline-pain").get_by_role("img")).to_have_attribute(
        "aria-label", re.compile("pain: Lower back, sacrum and buttocks, left, intensity 7")
    )
    thumbnail = timeline.get_by_test_id("timeline-pain").get_by_role("img").bounding_box()
    assert thumbnail["width"] <= 90, thumbnail  # a thumbnail beside the points


def test_a_refused_save_keeps_the_marks(
    page, live_server, login, practitioner, catalogue, client_record
):
    figure = open_form(page, live_server, login, client_record)
    page.get_by_label("Pain before (0–10)").fill("12")
    figure.get_by_label("View").select_option("face")
    figure.get_by_role("button", name="Mark pain").click()
    face = figure.locator('.body-view[data-view="face"] svg')
    box = face.bounding_box()
    face.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.4})
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Please correct the errors below")).to_be_visible()
    figure = page.get_by_test_id("body-figure")
    expect(figure.get_by_label("View")).to_have_value("face")
    expect(figure.get_by_test_id("pain-mark")).to_have_text(
        re.compile("^Face and front of the neck, right, intensity 5")
    )
    assert TreatmentSession.objects.count() == 0


def test_the_figure_is_one_tab_stop_and_the_arrow_keys_move_between_points(
    page, live_server, login, practitioner, catalogue, client_record
):
    figure = open_form(page, live_server, login, client_record)
    figure.get_by_label("View").select_option("hand_back")
    hand = figure.locator('.body-view[data-view="hand_back"]')
    markers = hand.locator(".body-point")
    assert markers.count() > 4
    expect(hand.locator('.body-point[tabindex="0"]')).to_have_count(1)

    # In pick mode the pain controls are hidden: from the mode buttons, the figure's one stop.
    expect(figure.get_by_label("Intensity (1–10)")).to_be_hidden()
    figure.get_by_role("button", name="Mark pain").focus()
    page.keyboard.press("Tab")
    first = markers.nth(0)
    expect(first).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(markers.nth(1)).to_be_focused()
    expect(hand.locator('.body-point[tabindex="0"]')).to_have_count(1)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(markers.last).to_be_focused()
    name = markers.last.get_attribute("aria-label")
    page.keyboard.press("Enter")
    code, side = name.split(" ")[0], name.rsplit(", ", 1)[-1]
    row = page.get_by_test_id("point-row").nth(0)
    expect(row.get_by_role("combobox", name="Point")).to_have_value(code)
    expect(row.get_by_role("combobox", name="Side")).to_have_value(side)
    # One more Tab leaves the figure, not onto its next point.
    markers.last.focus()
    page.keyboard.press("Tab")
    expect(page.locator(".body-point:focus")).to_have_count(0)
