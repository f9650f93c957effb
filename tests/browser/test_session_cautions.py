"""Issue 12 in the browser: the session form shows each row's cautions for this client as
soon as its point is chosen (and when its side, tool or pressure changes, and for the rows
"repeat last session" brings), asks for an acknowledgement per caution the row goes
against, and runs the check-in."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import Point, PressureTool
from sessions import cautions
from sessions import services as sessions
from sessions.models import TreatmentSession
from sessions.rows import PointRow

from ..factories import ClientFactory

pytestmark = pytest.mark.browser

ELBOW = "Takes blood thinners: no elbow"


def forty_years_old():
    today = timezone.localdate()
    return today.replace(year=today.year - 40) - datetime.timedelta(days=1)


@pytest.fixture
def client_with(practitioner, catalogue):
    def make(*flags):
        return ClientFactory(
            clinic=practitioner.clinic, health_flags=list(flags), date_of_birth=forty_years_old()
        )

    return make


@pytest.fixture
def session_form(page, live_server, login):
    def open_for(client, query=""):
        login("ana")
        page.goto(f"{live_server.url}/clients/{client.pk}/sessions/new/{query}")
        return page

    return open_for


def add_point(page, code):
    page.get_by_role("button", name="Add point").click()
    row = page.get_by_test_id("point-row").last
    row.get_by_role("combobox", name="Point").fill(code)
    row.get_by_role("option", name=code + " ").first.click()
    expect(row.get_by_role("combobox", name="Point")).to_have_value(code)
    return row


def acknowledgement_boxes(page):
    return page.locator("#caution-acknowledgements").get_by_role("checkbox")


def test_a_pregnant_clients_row_shows_the_pregnancy_caution_with_its_strength(
    client_with, session_form
):
    page = session_form(client_with("pregnancy"))
    expect(page.locator("#caution-box")).to_contain_text("No caution for this client needs")
    row = add_point(page, "SP6")
    caution = row.get_by_test_id("row-caution").filter(has_text="Take care (SP6)")
    expect(caution).to_contain_text("Pregnancy")
    expect(caution.get_by_test_id("caution-strength")).to_have_text("Traditional only")
    expect(caution).not_to_contain_text("Needs acknowledging")  # a note, not an avoid
    # SP6 is on the lower leg: light pressure only there, and moderate is chosen.
    region = row.get_by_test_id("row-caution").filter(has_text="lower leg")
    expect(region).to_contain_text("Needs acknowledging")
    expect(acknowledgement_boxes(page)).to_have_count(1)
    row.get_by_role("combobox", name="Pressure").select_option("light")
    expect(region).to_contain_text("Light pressure only (lower leg)")
    expect(region).not_to_contain_text("Needs acknowledging")
    expect(acknowledgement_boxes(page)).to_have_count(0)
    expect(page.locator("#caution-box")).to_contain_text("No caution for this client needs")


def test_an_elbow_for_a_client_on_blood_thinners_needs_acknowledging_before_saving(
    client_with, session_form
):
    client = client_with("anticoagulant")
    page = session_form(client)
    page.get_by_label("Pain before (0–10)").fill("6")
    row = add_point(page, "LI4")
    row.get_by_role("combobox", name="Pressure").select_option("light")
    expect(row.get_by_test_id("row-caution").first).to_be_visible()
    expect(page.get_by_label(ELBOW)).to_have_count(0)
    expect(row).not_to_contain_text("Needs acknowledging")

    row.get_by_role("combobox", name="Tool").select_option("elbow")
    elbow = row.get_by_test_id("row-caution").filter(has_text="Avoid (elbow)")
    expect(elbow).to_contain_text("Needs acknowledging")
    expect(elbow.get_by_test_id("caution-strength")).to_have_text("Some sources")
    expect(page.get_by_label(ELBOW)).not_to_be_checked()

    page.get_by_role("button", name="Save session").click()
    box = page.locator("#caution-box")
    expect(box).to_contain_text("Acknowledge each caution to save")
    expect(box).to_contain_text(ELBOW)
    assert TreatmentSession.objects.count() == 0

    page.get_by_label(ELBOW).check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_test_id("pain")).to_have_text("6 → —")
    session = TreatmentSession.objects.get()
    assert session.acknowledged_cautions == [ELBOW]
    assert session.treated_points.get().tool.slug == "elbow"


def test_repeat_last_session_shows_the_cautions_at_once_and_follows_changes(
    client_with, session_form, practitioner
):
    client = client_with("anticoagulant")
    row = PointRow(point=Point.objects.get(code="LI4"), tool=PressureTool.objects.get(slug="elbow"))
    book = cautions.rule_book(client)
    sessions.record_session(
        client=client,
        practitioner=practitioner,
        started_at=timezone.now() - datetime.timedelta(days=7),
        pain_before=5,
        points=[row],
        acknowledged_cautions=cautions.needed_acknowledgements(cautions.row_warnings(book, [row])),
    )
    page = session_form(client, "?repeat=last")
    repeated = page.get_by_test_id("point-row").first
    expect(repeated.get_by_test_id("row-caution").filter(has_text="Avoid (elbow)")).to_contain_text(
        "Needs acknowledging"
    )
    expect(page.get_by_label(ELBOW)).to_be_visible()
    page.get_by_label(ELBOW).check()
    # The row came from the server; the page still follows it: a thumb needs no such care.
    repeated.get_by_role("combobox", name="Tool").select_option("thumb")
    expect(repeated.get_by_test_id("row-caution").filter(has_text="Avoid (elbow)")).to_have_count(0)
    expect(page.get_by_label(ELBOW)).to_have_count(0)
    repeated.get_by_role("combobox", name="Tool").select_option("elbow")
    expect(page.get_by_label(ELBOW)).to_be_checked()  # the tick made before is kept


def test_the_check_in_shows_what_to_do_and_a_fever_asks_again_for_every_row(
    client_with, session_form
):
    page = session_form(client_with())
    row = add_point(page, "LI4")
    expect(row.get_by_test_id("row-caution").filter(has_text="Fever")).to_have_count(0)

    fever = page.get_by_label("Do you have a fever or feel ill today?")
    question = page.get_by_test_id("check-in-question").filter(has=fever)
    expect(question.get_by_test_id("check-in-what-to-do")).to_be_hidden()
    fever.check()
    expect(question.get_by_test_id("check-in-what-to-do")).to_be_visible()
    caution = row.get_by_test_id("row-caution").filter(has_text="Fever or acute illness today")
    expect(caution).to_contain_text("found at today's check-in")
    expect(caution).to_contain_text("Needs acknowledging")
    expect(acknowledgement_boxes(page)).to_have_count(1)
    fever.uncheck()
    expect(caution).to_have_count(0)
    expect(question.get_by_test_id("check-in-what-to-do")).to_be_hidden()


def test_the_warning_signs_asked_are_those_of_the_conditions_ticked(client_with, session_form):
    from catalogue.models import WarningSign

    page = session_form(client_with())
    back_only = WarningSign.objects.filter(conditions__slug="low-back-pain", any_condition=False)
    back_only = back_only.exclude(conditions__slug="headache").first()
    anywhere = WarningSign.objects.filter(any_condition=True).first()
    questions = page.get_by_test_id("check-in-question")
    back_sign = questions.filter(has_text=back_only.sign)
    expect(back_sign).to_be_hidden()
    expect(questions.filter(has_text=anywhere.sign)).to_be_visible()
    page.get_by_label("Low back pain").check()
    expect(back_sign).to_be_visible()
    back_sign.get_by_role("checkbox").check()
    expect(back_sign.get_by_test_id("check-in-what-to-do")).to_be_visible()
    page.get_by_label("Low back pain").uncheck()
    expect(back_sign).to_be_visible()  # an answer given stays in view
