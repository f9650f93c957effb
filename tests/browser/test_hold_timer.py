"""The hold timer in the session form, on Playwright's clock: never a real wait."""

import pytest
from playwright.sync_api import expect

from sessions.models import TreatedPoint

from ..factories import ClientFactory

pytestmark = pytest.mark.browser


def open_form(page, live_server, login, practitioner):
    client = ClientFactory(clinic=practitioner.clinic)
    login("ana")
    page.clock.install()
    page.goto(f"{live_server.url}/clients/{client.pk}/sessions/new/")
    return client


def add_point(page, search, option):
    rows = page.get_by_test_id("point-row")
    index = rows.count()
    page.get_by_role("button", name="Add point").click()
    row = rows.nth(index)  # not .last, which would follow later rows
    row.get_by_role("combobox", name="Point").fill(search)
    row.get_by_role("option", name=option).click()
    expect(row.get_by_role("spinbutton", name="Seconds")).not_to_have_value("")
    return row


def freeze_the_clock(page):
    """From here the page's time moves only when the test moves it."""
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)


def test_a_hold_stopped_with_relief_stores_its_seconds(
    page, live_server, login, practitioner, catalogue
):
    open_form(page, live_server, login, practitioner)
    row = add_point(page, "hegu", "LI4 Hegu")
    expect(row.get_by_role("spinbutton", name="Seconds")).to_have_value("180")
    freeze_the_clock(page)

    row.get_by_role("button", name="Start hold").click()
    timer = row.get_by_role("timer")
    expect(timer).to_have_text("3:00")
    expect(row.locator(".hold-status")).to_have_text("Hold started on LI4: 3:00.")
    expect(row.locator(".hold-status")).to_have_attribute("aria-live", "polite")
    page.clock.fast_forward("01:42")
    expect(timer).to_have_text("1:18")
    row.get_by_role("button", name="Relief", exact=True).click()

    expect(row.get_by_test_id("hold-words")).to_have_text("Held 1:42 — relief")
    expect(row.locator('input[name$="-held_seconds"]')).to_have_value("102")
    expect(row.locator('input[name$="-hold_ended"]')).to_have_value("relief")
    expect(row.get_by_role("button", name="Reset")).to_be_focused()
    box = row.get_by_role("button", name="Reset").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44

    page.get_by_label("Pain before (0–10)").fill("6")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_test_id("hold")).to_have_text("1 min 42 s — relief")
    treated = TreatedPoint.objects.get()
    assert (treated.held_seconds, treated.hold_ended) == (102, "relief")


def test_too_tender_one_hold_at_a_time_and_zero_is_time_up(
    page, live_server, login, practitioner, catalogue
):
    open_form(page, live_server, login, practitioner)
    first = add_point(page, "hegu", "LI4 Hegu")
    second = add_point(page, "GB20", "GB20 Fengchi")
    second.get_by_role("spinbutton", name="Seconds").fill("60")
    freeze_the_clock(page)

    first.get_by_role("button", name="Start hold").click()
    for size in ("Relief", "Time up", "Too tender"):
        box = first.get_by_role("button", name=size, exact=True).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    second.get_by_role("button", name="Start hold").click()
    expect(second.locator(".hold-refusal")).to_have_text("A hold is running on LI4: stop it first.")
    expect(second.get_by_role("timer")).to_be_hidden()

    page.clock.fast_forward("00:20")
    first.get_by_role("button", name="Too tender").click()
    expect(first.get_by_test_id("hold-words")).to_have_text("Held 0:20 — too tender")
    expect(second.locator(".hold-refusal")).to_have_text("")

    second.get_by_role("button", name="Start hold").click()
    expect(second.get_by_role("timer")).to_have_text("1:00")
    page.clock.run_for("01:00")
    expect(second.get_by_test_id("hold-words")).to_have_text("Held 1:00 — time up")
    expect(second.locator('input[name$="-hold_ended"]')).to_have_value("time_up")

    # Reset clears a hold, and it can be timed again.
    first.get_by_role("button", name="Reset").click()
    expect(first.locator('input[name$="-held_seconds"]')).to_have_value("")
    expect(first.get_by_role("button", name="Start hold")).to_be_visible()

    page.get_by_label("Pain before (0–10)").fill("6")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_test_id("hold")).to_have_count(2)
    saved = {tp.point.code: (tp.held_seconds, tp.hold_ended) for tp in TreatedPoint.objects.all()}
    assert saved == {"LI4": (None, ""), "GB20": (60, "time_up")}
