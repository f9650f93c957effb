"""Issue 14: the session form and the home-care sheet form fit a phone, a tablet and a
desktop: nothing scrolls sideways, point rows are cards, touch targets are 44px tall."""

import pytest
from playwright.sync_api import expect

from catalogue.models import Point
from homecare import services as homecare
from homecare.rows import ItemRow

from .session_form_support import (
    WIDTHS,
    pregnant_client_with_a_last_session,
    sideways_overflow,
    small_touch_targets,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_the_session_form_fits_the_screen(
    page, live_server, login, practitioner, catalogue, artifacts, width
):
    client = pregnant_client_with_a_last_session(practitioner)
    page.set_viewport_size({"width": width, "height": 900})
    login("ana")
    page.goto(f"{live_server.url}/clients/{client.pk}/sessions/new/?repeat=last")
    rows = page.get_by_test_id("point-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1).get_by_test_id("row-caution").first).to_be_visible()
    assert sideways_overflow(page) == 0
    form = page.locator("#session-form")
    assert small_touch_targets(form) == []
    # Every field of a row keeps its visible label, and "Remove" sits inside the row.
    first = rows.first
    for label in ["Point", "Side", "Tool", "Seconds", "Pressure", "Response"]:
        expect(first.locator("label", has_text=label)).to_be_visible()
    remove = first.get_by_role("button", name="Remove point").bounding_box()
    card = first.bounding_box()
    assert (
        card["x"] + 8 <= remove["x"]
        and remove["x"] + remove["width"] <= card["x"] + card["width"] - 8
    )
    assert remove["x"] + remove["width"] <= width - 16
    page.screenshot(path=artifacts / f"session-form-{width}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_care_sheet_form_fits_the_screen(
    page, live_server, login, practitioner, client_record, catalogue, artifacts, width
):
    sheet = homecare.create_sheet(
        client=client_record,
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code=code)) for code in ("LI4", "LR3", "GB20")],
    )
    page.set_viewport_size({"width": width, "height": 900})
    login("ana")
    page.goto(f"{live_server.url}/homecare/{sheet.pk}/edit/")
    rows = page.get_by_test_id("point-row")
    expect(rows).to_have_count(3)
    expect(rows.first.locator(".point-name")).to_have_text("LI4 Hegu · Joining Valley")
    assert sideways_overflow(page) == 0
    assert small_touch_targets(page.locator("#sheet-form")) == []
    page.screenshot(path=artifacts / f"sheet-form-{width}.png", full_page=True)
