"""Recording a session on its page: bad input is refused at its field or row, what was
typed is kept, and nothing is saved."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from catalogue.models import CautionRule, Point
from sessions.models import TreatedPoint, TreatmentSession

from ..factories import TreatedPointFactory
from ..html_parts import parse
from .page_support import nothing_saved, session_form


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"pain_before": "11"}, "pain_before"),
        ({"pain_before": "-1"}, "pain_before"),
        ({"pain_after": "12"}, "pain_after"),
        ({"outcome": "magical"}, "outcome"),
        ({"started_at": "not a date"}, "started_at"),
    ],
)
def test_bad_session_fields_are_refused(as_practitioner, catalogue, create_url, overrides, field):
    response = as_practitioner.post(create_url, session_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert nothing_saved()
    complaint = parse(response.content.decode()).one("textarea", name="complaint")
    assert complaint.text == "Stiff neck after driving"


def test_a_start_in_the_future_is_refused(as_practitioner, catalogue, create_url):
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = as_practitioner.post(create_url, session_form(started_at=tomorrow))
    assert response.context["form"].errors["started_at"] == [
        "The start time cannot be in the future."
    ]
    assert nothing_saved()


def test_a_start_before_2000_is_refused(as_practitioner, catalogue, create_url):
    response = as_practitioner.post(create_url, session_form(started_at="0001-01-01T00:00"))
    assert "Check the year" in response.context["form"].errors["started_at"][0]
    assert nothing_saved()


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"points-1-duration_seconds": "0"}, "duration_seconds", "more than zero"),
        ({"points-1-duration_seconds": "-5"}, "duration_seconds", "more than zero"),
        ({"points-1-duration_seconds": "1801"}, "duration_seconds", "30 minutes"),
        ({"points-1-point": "ZZ99"}, "point", "Unknown or retired point"),
        ({"points-1-tool": "spoon"}, "tool", "Unknown pressure tool"),
    ],
)
def test_a_bad_point_row_saves_nothing_and_is_marked_at_its_row(
    as_practitioner, catalogue, create_url, overrides, field, message
):
    response = as_practitioner.post(create_url, session_form(**overrides))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert not formset.forms[0].errors
    assert message in " ".join(formset.forms[1].errors[field])
    assert nothing_saved()
    rows = parse(response.content.decode()).one(id="point-rows").all(testid="point-row")
    good, bad = rows
    assert good.one("input", name="points-0-point").attrs["value"] == "li4"  # kept as typed
    assert (
        "point-row-invalid" not in good.attrs["class"] and "point-row-invalid" in bad.attrs["class"]
    )
    assert message in bad.one(cls="invalid-feedback").text


def test_a_retired_point_is_refused(as_practitioner, catalogue, create_url):
    Point.objects.filter(code="GB20").update(is_active=False)
    response = as_practitioner.post(create_url, session_form())
    assert "point" in response.context["formset"].forms[1].errors
    assert nothing_saved()


def test_a_point_without_a_default_tool_needs_one_chosen(as_practitioner, catalogue, create_url):
    Point.objects.filter(code="LU1").update(default_tool=None)
    response = as_practitioner.post(create_url, session_form(**{"points-1-point": "LU1"}))
    assert response.context["formset"].forms[1].errors["tool"] == [
        "LU1 has no default tool: choose one."
    ]
    assert nothing_saved()


SP6_LIGHT_ONLY = "SP6 Pregnancy: light pressure only (lower leg)"


def test_a_caution_must_be_acknowledged_and_is_stored(as_practitioner, catalogue, pregnant_client):
    url = reverse("sessions:session-create", args=[pregnant_client.pk])
    data = session_form(**{"points-1-point": "SP6"})  # pressed firmly
    response = as_practitioner.post(url, data)
    assert nothing_saved()
    assert SP6_LIGHT_ONLY in response.context["form"].errors["acknowledged_cautions"][0]
    page = parse(response.content.decode())
    li4, sp6 = page.one(id="point-rows").all(testid="caution-warning")
    # Every caution met at the row, the one it goes against first, each with its note.
    assert [c.attrs["data-label"] for c in li4.all(testid="row-caution")] == [
        "LI4 Pregnancy: take care (LI4)",
        "LI4 Every client: take care (hand)",
    ]
    assert [c.attrs["data-label"] for c in sp6.all(testid="row-caution")] == [
        SP6_LIGHT_ONLY,
        "SP6 Pregnancy: take care (SP6)",
        "Every client: take care (firm pressure)",
    ]
    light_only = sp6.all(testid="row-caution")[0].text
    assert CautionRule.objects.get(key="pregnancy-region-lower-leg").practitioner_note in light_only
    assert light_only.endswith("Some sources Needs acknowledging")
    assert "Needs acknowledging" not in li4.text
    assert response.context["formset"].forms[1].caution.point.code == "SP6"
    # Only the caution the row goes against is offered for acknowledgement.
    box = page.one(id="caution-box")
    assert [box_input.attrs["value"] for box_input in box.all("input")] == [SP6_LIGHT_ONLY]
    assert "d-none" in box.one(cls="no-cautions").attrs["class"]

    response = as_practitioner.post(url, {**data, "acknowledged_cautions": "SP6 Pregnancy"})
    assert nothing_saved()
    response = as_practitioner.post(url, {**data, "acknowledged_cautions": SP6_LIGHT_ONLY})
    assert response.status_code == 302
    session = TreatmentSession.objects.get()
    assert session.caution_acknowledged is True
    assert session.acknowledged_cautions == [SP6_LIGHT_ONLY]


def test_light_pressure_needs_no_acknowledgement(as_practitioner, catalogue, pregnant_client):
    url = reverse("sessions:session-create", args=[pregnant_client.pk])
    response = as_practitioner.post(
        url, session_form(**{"points-1-point": "SP6", "points-1-pressure": "light"})
    )
    assert response.status_code == 302
    session = TreatmentSession.objects.get()
    assert session.caution_acknowledged is False and session.acknowledged_cautions == []


@pytest.mark.parametrize(
    "model,field,value",
    [
        (TreatmentSession, "pain_before", 11),
        (TreatmentSession, "pain_after", -1),
        (TreatedPoint, "duration_seconds", 0),
        (TreatedPoint, "duration_seconds", 1801),
    ],
)
def test_the_database_itself_refuses_impossible_values(db, model, field, value):
    TreatedPointFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.update(**{field: value})
