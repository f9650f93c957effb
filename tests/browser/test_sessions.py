import re

import pytest
from playwright.sync_api import expect

from sessions.models import TreatmentSession

from ..factories import ClientFactory

pytestmark = pytest.mark.browser


def test_a_practitioner_records_a_cautioned_session_signs_it_and_sees_it_charted(
    page, live_server, login, practitioner, catalogue, artifacts
):
    client = ClientFactory(
        clinic=practitioner.clinic,
        first_name="Priya",
        last_name="Shah",
        health_flags=["pregnancy"],
    )
    login("ana")
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.get_by_role("link", name="Record session").first.click()

    page.get_by_label("Neck pain", exact=True).check()
    page.get_by_label("Pain before (0–10)").fill("7")
    page.get_by_role("button", name="Add point").click()
    first = page.get_by_test_id("point-row").nth(0)
    first.get_by_role("combobox", name="Point").fill("hegu")
    first.get_by_role("option", name="LI4 Hegu").click()
    expect(first.get_by_role("combobox", name="Point")).to_have_value("LI4")
    expect(first.get_by_role("spinbutton", name="Seconds")).to_have_value("180")
    expect(first.get_by_test_id("caution-warning")).to_contain_text("Pregnancy")
    expect(first.get_by_test_id("caution-warning")).not_to_contain_text("Needs acknowledging")

    page.get_by_role("button", name="Add point").click()
    second = page.get_by_test_id("point-row").nth(1)
    second.get_by_role("combobox", name="Point").fill("ST36")
    second.get_by_role("option", name="ST36 Zusanli").click()
    second.get_by_role("combobox", name="Side").select_option("right")
    expect(second.get_by_test_id("caution-warning")).to_contain_text("Needs acknowledging")

    page.get_by_role("button", name="Add point").click()
    third = page.get_by_test_id("point-row").nth(2)
    third.get_by_role("combobox", name="Point").fill("GV20")
    third.get_by_role("option", name="GV20 Baihui").click()
    expect(third.get_by_test_id("caution-warning")).to_be_hidden()

    page.get_by_label("Pain after (0–10)").fill("3")
    page.get_by_label("Outcome").select_option("improved")
    page.get_by_role("button", name="Save session").click()
    expect(
        page.locator("#caution-box").get_by_text("Acknowledge each caution to save")
    ).to_be_visible()
    assert TreatmentSession.objects.count() == 0

    page.get_by_label("ST36 Pregnancy: light pressure only (lower leg)").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_test_id("pain")).to_have_text("7 → 3")
    page.get_by_role("button", name="Sign session").click()
    expect(page.get_by_test_id("signed")).to_be_visible()
    session = TreatmentSession.objects.get()
    assert [tp.point.code for tp in session.treated_points.all()] == ["LI4", "ST36", "GV20"]
    assert session.acknowledged_cautions == ["ST36 Pregnancy: light pressure only (lower leg)"]

    page.get_by_role("link", name="Priya Shah").click()
    chart = page.get_by_test_id("pain-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("circle.pain-before")).to_have_count(1)
    expect(chart.locator("circle.pain-after")).to_have_count(1)
    expect(chart.get_by_role("img")).to_have_attribute(
        "aria-label", re.compile("before 7, after 3")
    )
    page.screenshot(path=artifacts / "session-chart.png", full_page=True)


def test_one_click_adds_the_suggested_points_for_the_chosen_conditions(
    page, live_server, login, practitioner, catalogue
):
    from catalogue.models import Indication

    client = ClientFactory(clinic=practitioner.clinic)
    # The six best-cited points, ties in catalogue order, as the page suggests them.
    expected = set(
        Indication.objects.filter(condition__slug="headache", source_count__gte=2)
        .order_by("-source_count", "point__meridian__position", "point__number")
        .values_list("point__code", flat=True)[:6]
    )
    assert "GB20" in expected
    login("ana")
    page.goto(f"{live_server.url}/clients/{client.pk}/sessions/new/")
    page.get_by_role("button", name="Add point").click()
    page.get_by_test_id("point-row").first.get_by_role("combobox", name="Point").fill("GB20")
    page.get_by_role("checkbox", name="Headache", exact=True).check()
    page.get_by_role("button", name="Add suggested points for the chosen conditions").click()
    rows = page.get_by_test_id("point-row")
    # GB20 was typed already: it is not added twice.
    expect(rows).to_have_count(len(expected))
    codes = {row.get_by_role("combobox", name="Point").input_value() for row in rows.all()}
    assert codes == expected
    expect(rows.nth(1).get_by_role("spinbutton", name="Seconds")).to_have_value("180")

    rows.nth(1).get_by_role("button", name="Remove point").click()
    expect(page.get_by_test_id("point-row").filter(visible=True)).to_have_count(len(expected) - 1)
    page.get_by_label("Pain before (0–10)").fill("5")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_test_id("pain")).to_have_text("5 → —")
    assert TreatmentSession.objects.get().treated_points.count() == len(expected) - 1
