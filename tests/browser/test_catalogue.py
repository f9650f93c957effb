import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_practitioner_searches_the_catalogue_and_opens_a_point(
    page, live_server, login, practitioner, artifacts
):
    call_command("load_catalogue", verbosity=0)
    login("ana")
    page.get_by_role("link", name="Catalogue").click()
    page.get_by_role("searchbox", name="Search points").fill("hegu")
    page.get_by_role("button", name="Search").click()
    first = page.get_by_test_id("results").get_by_role("link").first
    expect(first).to_have_text("LI4 Hegu")
    first.click()

    expect(page.get_by_role("heading", name="LI4 Hegu")).to_be_visible()
    picture = page.get_by_role(
        "img", name="LI4 marked on both sides: backs of the hands and outer wrists"
    )
    expect(picture).to_be_visible()
    box = picture.bounding_box()
    assert box["width"] > 150 and box["height"] > 100
    expect(page.locator(".point-marker")).to_have_count(2)
    expect(page.get_by_test_id("caution").filter(has_text="Pregnancy")).to_have_count(1)
    page.screenshot(path=artifacts / "catalogue-point.png", full_page=True)
