"""The diary's calendar in Chromium, under the Content-Security-Policy: the week shows the
appointment; dragging it saves the move; a drag onto a clash goes back with the clash's
message read out; axe finds nothing serious, wide and at a tablet's 820 px."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from scheduling import booking
from scheduling.models import WorkingHours

from ..factories import ClientFactory
from .test_axe import AXE, GRAVE, NAMED_IN_ISSUE
from .test_csp import problems, settle  # noqa: F401 (problems: a fixture)

pytestmark = pytest.mark.browser


def tomorrow_at(hour, minute=0):
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def book(client, practitioner, starts_at, minutes=45):
    return booking.book_appointment(
        client=client,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        booked_by=practitioner,
    )


@pytest.fixture
def appointment(practitioner, client_record):
    """The world's: the practitioner's appointment with Margaret Hale tomorrow at 10:00."""
    return book(client_record, practitioner, tomorrow_at(10))


@pytest.fixture
def week(page, live_server, login, practitioner, appointment):
    page.set_viewport_size({"width": 1280, "height": 1600})  # the drop in view: no scrolling
    login("ana")
    day = timezone.localdate() + timedelta(days=1)
    page.goto(
        f"{live_server.url}{reverse('scheduling:calendar')}?practitioner={practitioner.pk}"
        f"&view=week&date={day}"
    )
    return page


def event_of(page, name):
    return page.locator(".ec-event", has_text=name)


def beyond_the_refused_move(found):
    """The page's problems but the console's note of the move endpoint's 400 (a refusal
    the page then shows)."""
    refused = "the server responded with a status of 400 (Bad Request)"
    return [p for p in found if refused not in p or "/move/" not in p]


def drag_by_minutes(page, event, minutes, length=45):
    """Drag the event down by `minutes`, measured from its own height."""
    box = event.bounding_box()
    per_minute = box["height"] / length
    x, y = box["x"] + box["width"] / 2, box["y"] + 8
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x, y + per_minute * minutes * step / 10)
    page.mouse.up()


def test_the_week_shows_the_appointment_and_a_drag_moves_it(
    week,
    appointment,
    problems,  # noqa: F811
):
    event = event_of(week, "Margaret Hale")
    expect(event).to_be_visible()
    expect(week.get_by_test_id("day-list")).to_contain_text("Margaret Hale")

    drag_by_minutes(week, event, 4 * 60)

    expect(week.get_by_test_id("calendar-status")).to_contain_text("Saved: Margaret Hale")
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.minutes) == (tomorrow_at(14), 45)
    settle(week)
    assert problems == []


def test_a_drag_onto_a_clash_goes_back_with_the_clash_named(
    week,
    appointment,
    practitioner,
    problems,  # noqa: F811
):
    other = book(
        ClientFactory(clinic=practitioner.clinic, first_name="Ines", last_name="Roy"),
        practitioner,
        tomorrow_at(14),
    )
    week.reload()
    event = event_of(week, "Margaret Hale")
    expect(event).to_be_visible()

    drag_by_minutes(week, event, 4 * 60)

    status = week.get_by_test_id("calendar-status")
    expect(status).to_have_text(f"Not moved: {booking.Clash('practitioner', other).message}")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(event.locator("time")).to_have_text("10:00–10:45")  # back where it was
    appointment.refresh_from_db()
    assert appointment.starts_at == tomorrow_at(10)
    settle(week)
    assert beyond_the_refused_move(problems) == []


def test_a_drag_outside_working_hours_asks_and_moves_once_confirmed(
    week,
    appointment,
    practitioner,
    problems,  # noqa: F811
):
    WorkingHours.objects.create(
        practitioner=practitioner,
        weekday=appointment.starts_at.weekday(),
        starts=time(9),
        ends=time(17),
    )
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept()

    week.on("dialog", answer)
    drag_by_minutes(week, event_of(week, "Margaret Hale"), 8 * 60)

    expect(week.get_by_test_id("calendar-status")).to_contain_text("Saved: Margaret Hale")
    assert len(asked) == 1 and "outside Ana Duarte's working hours" in asked[0]
    appointment.refresh_from_db()
    assert appointment.starts_at == tomorrow_at(18)
    settle(week)
    assert beyond_the_refused_move(problems) == []


def test_clicking_an_empty_slot_opens_the_booking_form_for_it(
    week,
    appointment,
    practitioner,
    problems,  # noqa: F811
):
    event = event_of(week, "Margaret Hale")
    expect(event).to_be_visible()
    column = event.bounding_box()  # tomorrow's column
    label = week.locator(".ec-sidebar time", has_text="15:00").bounding_box()
    slot_top = column["y"] + (
        label["y"] - week.locator(".ec-sidebar time", has_text="10:00").bounding_box()["y"]
    )
    week.mouse.click(column["x"] + column["width"] / 2, slot_top + 5)

    week.wait_for_url("**/appointments/new/**")
    day = timezone.localdate() + timedelta(days=1)
    expect(week.get_by_label("Starts")).to_have_value(f"{day}T15:00")
    expect(week.get_by_label("Practitioner")).to_have_value(str(practitioner.pk))
    settle(week)
    assert problems == []


def test_by_keyboard_an_appointment_opens_and_the_list_is_a_skip_away(
    week,
    appointment,
    problems,  # noqa: F811
):
    event = event_of(week, "Margaret Hale")
    day = timezone.localdate() + timedelta(days=1)
    said = f"10:00–10:45 Margaret Hale ({day:%A} {day.day} {day:%B}, Booked)"
    expect(event).to_have_accessible_name(said)
    event.focus()
    week.keyboard.press("Enter")
    week.wait_for_url(f"**/appointments/{appointment.pk}/")
    expect(week.get_by_test_id("status")).to_have_text("Booked")

    week.go_back()
    skip = week.get_by_role("link", name="Skip the calendar: the day’s appointments as a list")
    skip.focus()
    week.keyboard.press("Enter")
    week.keyboard.press("Tab")
    expect(week.get_by_role("link", name="Previous day")).to_be_focused()
    settle(week)
    assert problems == []


def test_on_a_tablet_a_tap_opens_an_appointment(browser, live_server, appointment):
    tablet = browser.new_context(viewport={"width": 820, "height": 1180}, has_touch=True)
    page = tablet.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    day = timezone.localdate() + timedelta(days=1)
    page.goto(f"{live_server.url}{reverse('scheduling:calendar')}?view=day&date={day}")
    page.locator(".ec-event", has_text="Margaret Hale").tap()
    page.wait_for_url(f"**/appointments/{appointment.pk}/")
    tablet.close()


def grave_violations(page, live_server):
    # From the site's own static files, which the policy allows (an inline one it refuses).
    page.add_script_tag(url=f"{live_server.url}/static/vendor/{AXE.parent.name}/{AXE.name}")
    found = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ")),
            }));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes']}"
        for v in found
        if v["impact"] in GRAVE or v["id"] in NAMED_IN_ISSUE
    ]


@pytest.mark.parametrize("width", [1280, 820])
def test_axe_finds_nothing_serious_on_the_calendar(
    page,
    live_server,
    login,
    appointment,
    colleague,
    width,
    problems,  # noqa: F811
):
    page.set_viewport_size({"width": width, "height": 1000})
    login("ana")
    day = timezone.localdate() + timedelta(days=1)
    for query in (f"?date={day}", f"?view=day&date={day}"):  # the clinic, a column each
        page.goto(f"{live_server.url}{reverse('scheduling:calendar')}{query}")
        expect(page.locator(".ec-event", has_text="Margaret Hale")).to_be_visible()
        assert grave_violations(page, live_server) == []
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= width, f"the page is {overflow} px wide at {width} px"
    settle(page)
    assert problems == []
