"""Issue 14 in the browser, beyond axe: a skip link, pages that never scroll sideways, and
touch targets of at least 44 px in the navigation bar."""

import pytest
from playwright.sync_api import expect

from catalogue.models import Point, PressureTool
from homecare import services as homecare
from homecare.rows import ItemRow

from ..factories import ClientFactory, TreatedPointFactory, TreatmentSessionFactory

pytestmark = pytest.mark.browser

TOUCH = 44


@pytest.fixture
def records(practitioner, catalogue):
    """A client whose page and sheet hold long, unbroken text: the words that widen pages."""
    client = ClientFactory(
        clinic=practitioner.clinic,
        first_name="Maximiliana-Konstantina",
        last_name="Wolfeschlegelsteinhausenbergerdorff",
        email="maximiliana.konstantina.wolfeschlegelsteinhausenbergerdorff@example.org",
        health_flags=["pregnancy", "anticoagulant"],
        health_history="Tension headaches after long shifts; " + "x" * 80,
    )
    thumb = PressureTool.objects.get(slug="thumb")
    for pain_after in (5, 3, 2):
        session = TreatmentSessionFactory(
            client=client,
            practitioner=practitioner,
            pain_after=pain_after,
            complaint="Neck and shoulder stiffness after night shifts at the hospital",
        )
        for code in ("LI4", "GB20", "GB21"):
            TreatedPointFactory(session=session, point=Point.objects.get(code=code), tool=thumb)
    sheet = homecare.create_sheet(
        client=client,
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code=code)) for code in ("LI4", "LR3", "GB20")],
        general_advice="Press slowly and breathe out; " + "y" * 80,
        caution_acknowledged=True,
    )
    return client, sheet


@pytest.mark.parametrize("where", ["page", "print page"])
def test_the_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_main(
    page, live_server, login, records, where
):
    _, sheet = records
    login("ana")
    page.goto(live_server.url + (f"/homecare/{sheet.pk}/print/" if where == "print page" else "/"))
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.bounding_box()["width"] <= 1  # hidden until focused

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["width"] > 50
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    if where == "page":  # the next Tab goes on from the content, not from the top
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("width", [390, 820, 1280])
def test_the_client_page_and_the_sheet_pages_do_not_scroll_sideways(
    page, live_server, login, records, width
):
    client, sheet = records
    login("ana")
    page.set_viewport_size({"width": width, "height": 900})
    for path in (
        f"/clients/{client.pk}/",
        f"/homecare/{sheet.pk}/",
        f"/homecare/{sheet.pk}/print/",
    ):
        page.goto(live_server.url + path)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("window.innerWidth"), f"{path} is {wide} px at {width} px"


def heights(locator):
    return {
        text.strip(): box["height"]
        for text, box in zip(
            locator.all_inner_texts(), (el.bounding_box() for el in locator.all()), strict=True
        )
    }


def test_the_navigation_bar_has_touch_targets_of_44_px(page, live_server, login, practitioner):
    login("ana")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation")
    links = heights(nav.locator(".navbar-brand, .nav-link"))
    assert {"Clients", "Catalogue", practitioner.display_name} <= set(links), links
    assert min(links.values()) >= TOUCH, links

    nav.get_by_role("button", name=practitioner.display_name).click()
    items = nav.locator(".dropdown-item")
    expect(items.first).to_be_visible()
    entries = heights(items)
    assert {"Your account", "Change password", "Log out"} <= set(entries), entries
    assert min(entries.values()) >= TOUCH, entries

    page.set_viewport_size({"width": 390, "height": 900})
    menu = nav.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    box = menu.bounding_box()
    assert box["height"] >= TOUCH and box["width"] >= TOUCH, box
