"""Recording a session on its page: what the form offers and what a good post saves."""

import datetime

from django.urls import reverse
from django.utils import timezone

from catalogue.models import CautionRule, Point
from sessions.models import TreatmentSession

from ..html_parts import parse
from .page_support import nothing_saved, session_form


def test_it_works(as_practitioner, practitioner, catalogue, create_url, client_record):
    response = as_practitioner.post(create_url, session_form())
    session = TreatmentSession.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("sessions:session-detail", args=[session.pk])
    assert session.client == client_record and session.practitioner == practitioner
    assert [c.slug for c in session.conditions.all()] == ["neck-pain"]
    first, second = session.treated_points.all()
    assert (first.point.code, first.side, first.tool.slug) == ("LI4", "left", "thumb")
    gb20 = Point.objects.get(code="GB20")
    assert second.tool == gb20.default_tool
    assert second.duration_seconds == gb20.default_duration_seconds
    assert session.history.latest().history_user == practitioner.user


def test_the_form_offers_the_clients_flags_and_defaults(
    as_practitioner, catalogue, pregnant_client
):
    before = timezone.localtime().replace(second=0, microsecond=0)
    response = as_practitioner.get(reverse("sessions:session-create", args=[pregnant_client.pk]))
    assert response.status_code == 200
    page = parse(response.content.decode())
    form = page.one("form", id="session-form")
    # The point rows' script asks these for the points' defaults and each row's cautions.
    assert form.attrs["data-points-api"] == reverse("api:point-list")
    assert form.attrs["data-cautions-api"] == reverse(
        "api:client-cautions", args=[pregnant_client.pk]
    )
    flags = page.one(testid="client-flags")
    assert flags.one("h2").text == "For this client: Pregnancy"
    whole_body = CautionRule.objects.get(key="pregnancy-all")
    assert flags.one(testid="dose-guidance").text == (
        f"Pregnancy: Ask the doctor first (whole body). {whole_body.practitioner_note} Some sources"
    )
    started = datetime.datetime.fromisoformat(form.one("input", name="started_at").attrs["value"])
    assert before <= timezone.make_aware(started) <= timezone.localtime()
    template = form.one("template", id="point-row-template")
    assert template.one("input", name="points-__prefix__-point").attrs.get("value", "") == ""
    assert form.one("input", name="points-TOTAL_FORMS").attrs["value"] == "0"


def test_repeat_last_session_copies_its_points(
    as_practitioner, catalogue, create_url, client_record
):
    as_practitioner.post(create_url, session_form())
    response = as_practitioner.get(create_url, {"repeat": "last"})
    initial = [form.initial for form in response.context["formset"].forms]
    assert [(row["point"], row["side"]) for row in initial] == [
        ("LI4", "left"),
        ("GB20", "both"),
    ]
    rows = parse(response.content.decode()).one(id="point-rows")
    assert [
        row.one("input", cls="point-code").attrs["value"] for row in rows.all(testid="point-row")
    ] == [
        "LI4",
        "GB20",
    ]


def test_repeating_with_no_earlier_session_says_so(as_practitioner, catalogue, create_url):
    response = as_practitioner.get(create_url, {"repeat": "last"})
    assert len(response.context["formset"].forms) == 0
    assert "There is no earlier session to repeat." in response.content.decode()


def test_the_form_reminds_about_missing_consent(
    as_practitioner, catalogue, create_url, client_record
):
    page = parse(as_practitioner.get(create_url).content.decode())
    assert page.one(testid="no-consent").text.startswith("No consent to treatment is recorded")
    client_record.consent_given_at = timezone.now()
    client_record.save()
    page = parse(as_practitioner.get(create_url).content.decode())
    assert page.all(testid="no-consent") == []


def test_an_archived_client_cannot_get_a_new_session(
    as_practitioner, catalogue, create_url, client_record
):
    client_record.archive()
    response = as_practitioner.post(create_url, session_form())
    assert response.status_code == 200
    message = "This client is archived. Restore them to record a session."
    assert message in response.content.decode()
    assert nothing_saved()
