"""Every main page works under the Content-Security-Policy: Chromium reports no violation,
no console error and no script error on any of them, with their scripts exercised (the
point search, added rows, Bootstrap's menu, collapse and alerts, the admin's preview,
Swagger UI). The pages the navigation bar links to are visited too, so a new page is
checked as soon as it is linked."""

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Point, PressureTool
from homecare import services as homecare
from homecare.rows import ItemRow

from ..factories import ClientFactory, TreatedPointFactory, TreatmentSessionFactory
from ..otp import code_for, give_app

pytestmark = pytest.mark.browser

# Installed in every document before its own scripts. A violation is passed to Python
# through a binding; `settle` waits until each one has been taken.
WATCH = """
window.cspReports = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : "";
  window.cspReports.push(window.cspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI}${where}`
  ));
});
"""


@pytest.fixture
def problems(page):
    found = []
    page.expose_function("cspViolation", lambda text: found.append(f"{page.url}: {text}"))
    page.add_init_script(WATCH)

    def console(message):
        # Pages without an icon link (the admin, the print page) ask for /favicon.ico.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            found.append(f"{page.url}: console error: {message.text} {message.location}")
        elif "Permissions-Policy" in message.text:  # an unrecognised feature, say
            found.append(f"{page.url}: console {message.type}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: found.append(f"{page.url}: script error: {error}"))
    return found


def settle(page):
    page.evaluate("() => Promise.all(window.cspReports || [])")


def test_the_watch_sees_a_violation(page, live_server, problems):
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("() => document.body.setAttribute('style', 'color: red')")
    settle(page)
    assert any(p.endswith("style-src-attr refused inline") for p in problems), problems


def test_the_main_pages_run_under_the_policy(
    page, live_server, login, practitioner, catalogue, problems
):
    user = practitioner.user
    user.is_staff = user.is_superuser = True
    user.save()
    app = give_app(user)  # staff must have a second factor
    client = ClientFactory(clinic=practitioner.clinic, first_name="Tom", last_name="Fletcher")
    session = TreatmentSessionFactory(client=client, practitioner=practitioner, pain_after=3)
    TreatedPointFactory(
        session=session, point=Point.objects.get(code="LI4"), tool=PressureTool.objects.first()
    )
    sheet = homecare.create_sheet(
        client=client,
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code=code)) for code in ("LI4", "LR3", "GB20")],
    )
    lodge = live_server.url
    visited = set()

    def visit(path, check=None):
        page.goto(lodge + path)
        visited.add(path)
        if check:
            check()
        settle(page)
        assert not problems, "\n".join(problems)

    login("ana", code=lambda: code_for(app))  # the login and code pages, the dashboard

    def bootstrap_widgets():
        menu = page.get_by_role("button", name="Menu")
        page.set_viewport_size({"width": 600, "height": 900})
        menu.click()  # collapse
        # Bootstrap ignores clicks inside the menu while it is still opening: a slow machine
        # clicked the dropdown mid-animation (seen once in CI).
        expect(page.locator("#nav.collapse.show")).to_be_visible()
        page.get_by_role("button", name=practitioner.display_name).click()  # dropdown
        expect(page.get_by_role("link", name="Change password")).to_be_visible()
        page.set_viewport_size({"width": 1280, "height": 900})

    visit("/", bootstrap_widgets)
    visit("/clients/")
    chart = page.get_by_test_id("pain-chart")
    visit(f"/clients/{client.pk}/", lambda: expect(chart).to_be_visible())

    def point_search():
        page.get_by_role("button", name="Add point").click()  # a row from the <template>
        row = page.get_by_test_id("point-row").first
        row.get_by_role("combobox", name="Point").fill("hegu")
        row.get_by_role("option", name="LI4 Hegu").click()
        expect(row.get_by_role("spinbutton", name="Seconds")).to_have_value("180")

    visit(f"/clients/{client.pk}/sessions/new/", point_search)
    visit(f"/sessions/{session.pk}/")
    visit(f"/homecare/{sheet.pk}/")

    def saved_with_a_message():
        page.get_by_role("button", name="Save sheet").click()
        alert = page.get_by_role("alert").filter(has_text="Sheet saved.")
        expect(alert).to_be_visible()
        alert.get_by_role("button", name="Close").click()  # Bootstrap's alert, faded out
        expect(alert).to_have_count(0)

    visit(f"/homecare/{sheet.pk}/edit/", saved_with_a_message)

    def pictures_placed():
        expect(page.locator("section.item")).to_have_count(3)
        padding = page.locator("#item-1").evaluate("e => getComputedStyle(e).minHeight")
        assert re.fullmatch(r"[\d.]+px", padding) and float(padding[:-2]) > 50, padding
        expect(page.get_by_role("button", name="Print")).to_be_visible()

    visit(f"/homecare/{sheet.pk}/print/", pictures_placed)
    visit("/catalogue/")
    visit("/catalogue/points/LI4/")
    visit("/catalogue/conditions/headache/")
    visit("/accounts/password_change/")
    visit("/account/second-factor/setup/")  # the QR code, an inline SVG

    visit("/admin/")
    visit("/admin/catalogue/point/")

    def picture_preview():
        x = page.get_by_label("Figure x")
        x.fill("40")
        x.dispatch_event("change")
        # LI4 is on both hands: a marker on each.
        expect(page.locator("#point-preview svg .point-marker")).to_have_count(2)

    visit(f"/admin/catalogue/point/{Point.objects.get(code='LI4').pk}/change/", picture_preview)
    visit(f"/admin/clinic/client/{client.pk}/change/")
    visit(f"/admin/clinic/client/{client.pk}/history/")

    def swagger_ui():
        operation = page.locator(".opblock-summary").first
        expect(operation).to_be_visible()
        operation.click()
        expect(page.locator(".opblock-body").first).to_be_visible()

    visit("/api/docs/", swagger_ui)

    page.goto(lodge + "/")
    linked = {
        href
        for href in page.locator("nav a[href^='/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        if not href.startswith("/api/")
    }
    for path in sorted(linked - visited):
        visit(path)
