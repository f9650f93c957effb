import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Point, PressureTool
from homecare.models import HomeCareSheet

from ..factories import ClientFactory, TreatedPointFactory, TreatmentSessionFactory

pytestmark = pytest.mark.browser


def test_a_sheet_is_made_from_a_session_and_opened_for_print(
    page, live_server, login, practitioner, catalogue, artifacts
):
    client = ClientFactory(clinic=practitioner.clinic, first_name="Tom", last_name="Fletcher")
    session = TreatmentSessionFactory(client=client, practitioner=practitioner)
    thumb = PressureTool.objects.get(slug="thumb")
    for code in ("LI4", "GB20", "LR3"):
        TreatedPointFactory(session=session, point=Point.objects.get(code=code), tool=thumb)
    login("ana")
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    page.get_by_role("button", name="Home-care sheet").click()

    rows = page.get_by_test_id("point-row")
    expect(rows).to_have_count(3)
    rows.nth(2).get_by_role("button", name="Move up").click()
    page.get_by_label("Large print").check()
    page.get_by_role("button", name="Save sheet").click()
    # Wait for the saved page before reading the database: the click does not wait for it.
    expect(page.get_by_role("alert").filter(has_text="Sheet saved.")).to_be_visible()
    sheet = HomeCareSheet.objects.get()
    assert [i.point.code for i in sheet.items.all()] == ["LI4", "LR3", "GB20"]

    page.get_by_role("link", name="Print page").click()
    expect(page.get_by_role("heading", name="Your home acupressure")).to_be_visible()
    expect(page.get_by_test_id("client-name")).to_have_text("Tom Fletcher")
    expect(page.get_by_test_id("standing-note")).to_contain_text("does not replace it")
    # Each item shows its figure with the marker: the same pictures as the PDF.
    items = page.locator("section.item")
    expect(items).to_have_count(3)
    expect(page.locator("section.figure-hand_back")).to_have_count(1)
    expect(
        page.get_by_text("Picture: LI4 marked on both sides: backs of the hands and outer wrists.")
    ).to_be_attached()
    backgrounds = items.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundImage)")
    for background, figure in zip(backgrounds, ["hand_back", "foot_top", "head_back"], strict=True):
        *marker_urls, figure_url = re.findall(r'url\("([^"]+)"\)', background)
        assert len(marker_urls) == 2  # a marker on each side
        assert all(url.endswith("figures/marker.png") for url in marker_urls)
        assert f"figures/{figure}.jpg" in figure_url
        for url in (*marker_urls, figure_url):
            assert page.request.get(url).ok, url
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator(".picture-label").first).to_be_hidden()
    page.screenshot(path=artifacts / "homecare-print.png", full_page=True)
