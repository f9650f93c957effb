"""Issue 14: a refused save puts a summary at the top of the form, focused, with a link to
each field; what was typed stays, the points' names too. "Repeat last session" keeps the
conditions ticked and shows the cautions and the conditions' warning signs at once."""

import pytest
from playwright.sync_api import expect

from catalogue.models import WarningSign
from sessions.models import TreatmentSession

from ..factories import ClientFactory
from .session_form_support import ST36_FIRM, pregnant_client_with_a_last_session

pytestmark = pytest.mark.browser


def test_a_refused_save_is_summed_up_at_the_top_and_keeps_what_was_typed(
    page, live_server, login, practitioner, catalogue
):
    client = ClientFactory(clinic=practitioner.clinic)
    login("ana")
    page.goto(f"{live_server.url}/clients/{client.pk}/sessions/new/")
    page.get_by_label("Pain before (0–10)").fill("11")
    page.get_by_label("Presenting complaint").fill("Stiff neck")
    page.get_by_role("button", name="Add point").click()
    first = page.get_by_test_id("point-row").first
    first.get_by_role("combobox", name="Point").fill("hegu")
    first.get_by_role("option", name="LI4 Hegu").click()
    page.get_by_role("button", name="Add point").click()
    second = page.get_by_test_id("point-row").nth(1)
    second.get_by_role("combobox", name="Point").fill("ZZ99")
    page.get_by_role("button", name="Save session").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    assert summary.evaluate("e => e === e.closest('form').firstElementChild")  # the form's top
    pain = summary.get_by_role("link", name="Pain before (0–10): Ensure this value is less than")
    expect(pain).to_have_attribute("href", "#id_pain_before")
    point = summary.get_by_role("link", name="Point 2, point: Unknown or retired point: ZZ99")
    expect(point).to_have_attribute("href", "#id_points-1-point")
    point.click()
    expect(page.locator("#id_points-1-point")).to_be_focused()
    pain.click()
    expect(page.get_by_label("Pain before (0–10)")).to_be_focused()

    rows = page.get_by_test_id("point-row")
    expect(rows.first.get_by_role("combobox", name="Point")).to_have_value("LI4")
    expect(rows.first.locator(".point-name")).to_have_text("LI4 Hegu · Joining Valley")
    expect(rows.nth(1).get_by_role("combobox", name="Point")).to_have_value("ZZ99")
    expect(page.get_by_label("Pain before (0–10)")).to_have_value("11")
    expect(page.get_by_label("Presenting complaint")).to_have_value("Stiff neck")
    assert TreatmentSession.objects.count() == 0


def test_repeat_last_session_keeps_the_conditions_and_shows_the_cautions_at_once(
    page, live_server, login, practitioner, catalogue
):
    client = pregnant_client_with_a_last_session(practitioner)
    # Asked only when neck pain (or another condition of its, none ticked) is ticked.
    neck_sign = WarningSign.objects.filter(conditions__slug="neck-pain", any_condition=False)[0]
    login("ana")
    page.goto(f"{live_server.url}/clients/{client.pk}/sessions/new/")
    page.get_by_role("link", name="Repeat last session").click()

    expect(page.get_by_label("Neck pain", exact=True)).to_be_checked()
    expect(page.get_by_label("Headache", exact=True)).not_to_be_checked()
    rows = page.get_by_test_id("point-row")
    expect(rows).to_have_count(3)
    codes = [rows.nth(i).get_by_role("combobox", name="Point").input_value() for i in range(3)]
    assert codes == ["LI4", "ST36", "GV20"]
    expect(rows.nth(0).get_by_role("combobox", name="Side")).to_have_value("left")
    expect(rows.nth(0).get_by_role("spinbutton", name="Seconds")).to_have_value("120")
    expect(rows.nth(1).get_by_role("combobox", name="Pressure")).to_have_value("firm")
    expect(rows.nth(2).locator(".point-name")).to_have_text("GV20 Baihui · Hundred Meetings")
    # The cautions are on the page as it opens, from the server: none is asked for.
    expect(rows.nth(1).get_by_test_id("row-caution").first).to_contain_text("Needs acknowledging")
    expect(page.get_by_label(ST36_FIRM)).to_be_visible()
    expect(page.get_by_test_id("check-in-question").filter(has_text=neck_sign.sign)).to_be_visible()

    page.get_by_label("Pain before (0–10)").fill("5")
    page.get_by_label(ST36_FIRM).check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_test_id("pain")).to_have_text("5 → —")
    repeated = TreatmentSession.objects.latest("pk")
    assert [c.slug for c in repeated.conditions.all()] == ["neck-pain"]
    assert [
        (tp.point.code, tp.side, tp.duration_seconds) for tp in repeated.treated_points.all()
    ] == [
        ("LI4", "left", 120),
        ("ST36", "right", 180),
        ("GV20", "both", 90),
    ]
