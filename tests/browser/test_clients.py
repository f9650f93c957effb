import datetime

import pytest
from playwright.sync_api import expect

from clinic.models import Client

pytestmark = pytest.mark.browser


def test_a_practitioner_adds_a_client_after_fixing_an_error_and_finds_them(
    page, live_server, login, practitioner, artifacts
):
    login("ana")
    page.get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="New client").click()

    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Shah")
    next_year = datetime.date.today() + datetime.timedelta(days=365)
    page.get_by_label("Date of birth").fill(next_year.isoformat())
    page.get_by_label("Health history").fill("Neck ache in the evenings.")
    page.get_by_label("Pregnancy").check()
    page.get_by_role("button", name="Save client").click()

    expect(page.get_by_text("Please correct the errors below")).to_be_visible()
    expect(page.locator("#error_1_id_date_of_birth")).to_contain_text("cannot be in the future")
    expect(page.get_by_label("First name")).to_have_value("Priya")
    expect(page.get_by_label("Health history")).to_have_value("Neck ache in the evenings.")
    expect(page.get_by_label("Pregnancy")).to_be_checked()
    assert Client.objects.count() == 0

    expect(page.get_by_label("Last name")).to_have_value("Shah")
    page.get_by_label("Date of birth").fill("1991-11-23")
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", name="Priya Shah")).to_be_visible()
    expect(page.get_by_test_id("health-flags")).to_contain_text("Pregnancy")

    page.get_by_role("link", name="Clients").click()
    page.get_by_role("searchbox", name="Search clients").fill("shah")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Priya Shah")).to_be_visible()
    page.screenshot(path=artifacts / "client-search.png", full_page=True)
