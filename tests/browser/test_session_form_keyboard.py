"""Issue 14: the session form with a keyboard only, the point combobox, and the hook the
body figure uses to add points (`points:add`) and follow them (`points:changed`)."""

import pytest
from playwright.sync_api import expect

from sessions.models import TreatmentSession

from ..factories import ClientFactory

pytestmark = pytest.mark.browser

ROW_TAB_ORDER = ["Side", "Tool", "Seconds", "Pressure", "Response", "Start hold", "Remove point"]


@pytest.fixture
def new_session(page, live_server, login, practitioner, catalogue):
    client = ClientFactory(clinic=practitioner.clinic)
    login("ana")
    page.goto(f"{live_server.url}/clients/{client.pk}/sessions/new/")
    return page


def focused_name(page) -> str:
    """The focused element's label (or aria-label, or text)."""
    return page.evaluate(
        """() => { const e = document.activeElement;
          return (e.labels && e.labels[0] ? e.labels[0].textContent
            : e.getAttribute('aria-label') || e.textContent || '').trim(); }"""
    )


def tab_to(page, locator, limit=80) -> int:
    """Press Tab until `locator` has the focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("e => e === document.activeElement"):
            return presses
    raise AssertionError(f"{locator} not reached in {limit} Tab presses")


def test_a_session_is_recorded_with_the_keyboard_only(new_session):
    page = new_session
    tab_to(page, page.get_by_label("Pain before (0–10)"))
    page.keyboard.type("7")
    tab_to(page, page.get_by_role("button", name="Add point"))
    page.keyboard.press("Space")
    row = page.get_by_test_id("point-row").first
    box = row.get_by_role("combobox", name="Point")
    expect(box).to_be_focused()  # the new row's point box
    page.keyboard.type("valley")
    options = row.get_by_role("option")
    expect(options.nth(1)).to_be_visible()
    second = options.nth(1).inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    code = second.split()[0]
    expect(box).to_have_value(code)
    expect(row.locator(".point-name")).to_have_text(second)
    expect(row.get_by_role("listbox")).to_be_hidden()
    expect(row.get_by_role("spinbutton", name="Seconds")).not_to_have_value("")
    # The row's fields in order, then its button: no hidden stop, no name line.
    for name in ROW_TAB_ORDER:
        page.keyboard.press("Tab")
        assert focused_name(page) == name
    page.keyboard.press("Tab")
    assert focused_name(page) == "Add point"

    tab_to(page, page.get_by_role("button", name="Save session"))
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("pain")).to_have_text("7 → —")
    session = TreatmentSession.objects.get()
    assert [tp.point.code for tp in session.treated_points.all()] == [code]


def test_the_point_list_follows_the_keys_and_escape_closes_it(new_session):
    page = new_session
    page.get_by_role("button", name="Add point").click()
    box = page.get_by_role("combobox", name="Point")
    listbox = page.get_by_role("listbox", include_hidden=True)
    expect(listbox).to_be_hidden()
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("li1")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    count = listbox.get_by_role("option").count()
    assert count >= 2
    status = page.get_by_test_id("point-search-status")
    expect(status).to_have_text(f"{count} points found")
    expect(status).to_have_attribute("aria-live", "polite")
    assert box.get_attribute("aria-activedescendant") is None  # none highlighted yet
    box.press("ArrowDown")
    first = listbox.get_by_role("option").first
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    box.press("ArrowUp")  # from the first, round to the last
    last = listbox.get_by_role("option").last
    expect(box).to_have_attribute("aria-activedescendant", last.get_attribute("id"))
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None
    expect(box).to_have_value("li1")  # Escape closes the list, the text stays
    box.press("ArrowDown")  # opens it again
    expect(listbox).to_be_visible()
    box.fill("zzzq")
    expect(status).to_have_text("No point found")
    expect(listbox).to_be_hidden()


def test_enter_takes_the_first_point_found_when_none_is_highlighted(new_session):
    page = new_session
    page.get_by_role("button", name="Add point").click()
    box = page.get_by_role("combobox", name="Point")
    box.press_sequentially("hegu")
    found = page.get_by_role("listbox", name="Points found").get_by_role("option")
    expect(found.first).to_have_text("LI4 Hegu · Joining Valley")
    box.press("Enter")
    expect(box).to_have_value("LI4")
    assert TreatmentSession.objects.count() == 0  # Enter in the box does not submit


LISTEN = """form => { window.changes = [];
  form.addEventListener('points:changed', e => window.changes.push(e.detail)); }"""
ADD = "(form, detail) => form.dispatchEvent(new CustomEvent('points:add', {detail}))"


def test_the_figure_adds_a_point_with_its_side_and_hears_of_changes(new_session):
    page = new_session
    form = page.locator("#session-form")
    form.evaluate(LISTEN)
    form.evaluate(ADD, {"code": "li4", "side": "left"})
    rows = page.get_by_test_id("point-row")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row.get_by_role("combobox", name="Point")).to_have_value("LI4")
    expect(row.get_by_role("combobox", name="Side")).to_have_value("left")
    expect(row.locator(".point-name")).to_have_text("LI4 Hegu · Joining Valley")
    expect(row.get_by_role("spinbutton", name="Seconds")).to_have_value("180")
    page.wait_for_function("() => window.changes.length > 0")
    assert page.evaluate("() => window.changes.at(-1)") == [{"code": "LI4", "side": "left"}]

    # The same point on the same side again: its row is focused, not doubled.
    form.evaluate(ADD, {"code": "LI4", "side": "left"})
    expect(row.get_by_role("combobox", name="Point")).to_be_focused()
    expect(rows).to_have_count(1)

    # From the other side it is a row of its own (its own hold and response).
    form.evaluate(ADD, {"code": "ST36", "side": "right"})
    form.evaluate(ADD, {"code": "LI4", "side": "right"})
    expect(rows).to_have_count(3)
    expect(rows.nth(1).get_by_role("combobox", name="Side")).to_have_value("right")
    page.wait_for_function("() => window.changes.at(-1).length === 3")
    assert page.evaluate("() => window.changes.at(-1)") == [
        {"code": "LI4", "side": "left"},
        {"code": "ST36", "side": "right"},
        {"code": "LI4", "side": "right"},
    ]
    row.get_by_role("button", name="Remove point").click()
    page.wait_for_function("() => window.changes.at(-1).length === 2")
    assert page.evaluate("() => window.changes.at(-1)") == [
        {"code": "ST36", "side": "right"},
        {"code": "LI4", "side": "right"},
    ]


def test_the_home_care_sheet_form_has_the_same_combobox(
    page, live_server, login, practitioner, client_record, catalogue
):
    login("ana")
    page.goto(f"{live_server.url}/clients/{client_record.pk}/homecare/new/")
    page.get_by_role("button", name="Add point from the catalogue").click()
    row = page.get_by_test_id("point-row").first
    box = row.get_by_role("combobox", name="Point")
    expect(box).to_be_focused()
    box.press_sequentially("hegu")
    expect(row.get_by_role("option").first).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value("LI4")
    expect(row.locator(".point-name")).to_have_text("LI4 Hegu · Joining Valley")
    expect(page.get_by_test_id("point-search-status")).to_have_text("1 point found")
