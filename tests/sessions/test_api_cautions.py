"""GET /api/v1/clients/{id}/cautions/: the cautions for a client at a row's point, side,
tool and pressure, as the session form asks for them; one test per scope of the rules."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ..factories import ClientFactory


def aged(years):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=1)


@pytest.fixture
def client_with(practitioner, catalogue):
    """A client of the practitioner's clinic, 40 years old, with these flags."""

    def make(*flags, sites=None, age=40):
        return ClientFactory(
            clinic=practitioner.clinic,
            health_flags=list(flags),
            flag_sites=sites or {},
            date_of_birth=aged(age) if age is not None else None,
        )

    return make


def cautions(api, client, **params):
    url = reverse("api:client-cautions", args=[client.pk])
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def rules(answer, flag=None):
    return {f["rule"] for f in answer["findings"] if flag is None or f["flag"] == flag}


def finding(answer, rule):
    (found,) = [f for f in answer["findings"] if f["rule"] == rule]
    return found


def test_it_works_a_point_rule(api_as_practitioner, client_with):
    answer = cautions(api_as_practitioner, client_with("pregnancy"), point="sp6")
    assert answer["point"] == "SP6"
    sp6 = finding(answer, "pregnancy-point-sp6")
    assert sp6 == {
        **sp6,
        "label": "SP6 Pregnancy: take care (SP6)",
        "flag": "pregnancy",
        "flag_label": "Pregnancy",
        "reason": "",
        "scope": "point",
        "target": "SP6",
        "action": "caution_note",
        "action_label": "Take care",
        "strength": "traditional only",
        "strength_label": "Traditional only",
        "general_knowledge": False,
        "needs_acknowledgement": False,
    }
    assert sp6["practitioner_note"].startswith("Tradition only, not trial evidence")
    assert sp6["client_note"].startswith("In pregnancy")
    assert "pregnancy-point-sp6" not in rules(
        cautions(api_as_practitioner, client_with(), point="SP6")
    )


def test_a_region_rule_meets_every_point_of_the_region(api_as_practitioner, client_with):
    client = client_with("dvt_history")
    st36 = finding(
        cautions(api_as_practitioner, client, point="ST36"), "dvt-history-region-lower-leg"
    )
    assert (st36["scope"], st36["target"], st36["action"]) == ("region", "lower leg", "avoid")
    assert st36["needs_acknowledgement"] is True
    assert st36["label"] == "ST36 Blood clot in the past (DVT or PE): avoid (lower leg)"
    assert rules(cautions(api_as_practitioner, client, point="LI4"), "dvt_history") == set()


def test_a_tool_rule_meets_the_tool_chosen_or_the_points_default(api_as_practitioner, client_with):
    client = client_with("anticoagulant")
    elbow = cautions(api_as_practitioner, client, point="LI4", tool="elbow", pressure="light")
    rule = finding(elbow, "anticoagulant-tool-elbow")
    assert (rule["scope"], rule["target"], rule["needs_acknowledgement"]) == ("tool", "elbow", True)
    assert rule["label"] == "Takes blood thinners: no elbow"  # the same label at every point
    thumb = cautions(api_as_practitioner, client, point="LI4", tool="thumb", pressure="light")
    assert "anticoagulant-tool-elbow" not in rules(thumb)
    by_default = cautions(api_as_practitioner, client, point="LI4", pressure="light")
    assert "anticoagulant-tool-elbow" not in rules(by_default)  # LI4's default is the thumb


def test_a_pressure_rule_meets_that_pressure_and_firmer(api_as_practitioner, client_with):
    client = client_with("osteoporosis")
    firm = finding(
        cautions(api_as_practitioner, client, point="LI4", pressure="firm"),
        "osteoporosis-pressure-firm",
    )
    assert (firm["scope"], firm["target"], firm["needs_acknowledgement"]) == (
        "pressure",
        "firm pressure",
        True,
    )
    for softer in ("light", "moderate"):
        answer = cautions(api_as_practitioner, client, point="LI4", pressure=softer)
        assert "osteoporosis-pressure-firm" not in rules(answer)


def test_a_whole_body_rule_meets_every_point_and_light_only_asks_for_light(
    api_as_practitioner, client_with
):
    client = client_with("anticoagulant")
    moderate = finding(
        cautions(api_as_practitioner, client, point="GB20"), "anticoagulant-all-light"
    )
    assert (moderate["scope"], moderate["target"]) == ("whole_body", "whole body")
    assert moderate["needs_acknowledgement"] is True
    light = cautions(api_as_practitioner, client, point="GB20", pressure="light")
    assert finding(light, "anticoagulant-all-light")["needs_acknowledgement"] is False


def test_what_the_check_in_found_today_brings_its_rules(api_as_practitioner, client_with):
    client = client_with()
    assert "fever-acute-illness-all" not in rules(
        cautions(api_as_practitioner, client, point="LI4")
    )
    answer = cautions(api_as_practitioner, client, point="LI4", found=["flag:fever_acute_illness"])
    fever = finding(answer, "fever-acute-illness-all")
    assert (fever["action"], fever["needs_acknowledgement"]) == ("avoid", True)
    assert fever["reason"] == "found at today's check-in"
    assert "fever-acute-illness-all" in {f["rule"] for f in answer["whole_client"]}


def test_the_age_brings_the_child_rules_and_a_shorter_hold(api_as_practitioner, client_with):
    answer = cautions(api_as_practitioner, client_with(age=8), point="LI4", tool="elbow")
    child = finding(answer, "child-tool-elbow")
    assert child["reason"] == "aged 8" and child["needs_acknowledgement"] is True
    assert answer["suggested_max_seconds"] == 60
    assert (
        cautions(api_as_practitioner, client_with(), point="LI4")["suggested_max_seconds"] is None
    )


def test_a_flag_site_rule_meets_the_recorded_region_on_its_side(api_as_practitioner, client_with):
    client = client_with(
        "recent_surgery", sites={"recent_surgery": [{"region": "lower_back", "side": "right"}]}
    )
    right = cautions(api_as_practitioner, client, point="BL23", side="right")
    site = finding(right, "recent-surgery-site")
    assert (site["scope"], site["target"], site["action"]) == (
        "flag_site",
        "at the recorded site",
        "avoid",
    )
    assert site["label"] == "BL23 Recent surgery: avoid (at the recorded site)"
    assert site["needs_acknowledgement"] is True
    assert "recent-surgery-site" in rules(cautions(api_as_practitioner, client, point="BL23"))
    assert "recent-surgery-site" not in rules(
        cautions(api_as_practitioner, client, point="BL23", side="left")
    )
    assert "recent-surgery-site" not in rules(
        cautions(api_as_practitioner, client, point="GB20", side="right")
    )


def test_without_a_point_it_gives_the_cautions_for_the_client_as_a_whole(
    api_as_practitioner, client_with
):
    answer = cautions(api_as_practitioner, client_with("anticoagulant"))
    assert answer["point"] is None and answer["findings"] == []
    whole = {f["rule"] for f in answer["whole_client"]}
    assert {
        "anticoagulant-tool-elbow",
        "anticoagulant-pressure-firm",
        "anticoagulant-all-light",
    } <= whole
    assert not any(f["scope"] in ("point", "region", "flag_site") for f in answer["whole_client"])


def test_a_blank_tool_or_point_is_as_good_as_none(api_as_practitioner, client_with):
    answer = cautions(api_as_practitioner, client_with("pregnancy"), point="SP6", tool="")
    assert "pregnancy-point-sp6" in rules(answer)
    assert cautions(api_as_practitioner, client_with("pregnancy"), point="")["point"] is None


@pytest.mark.parametrize(
    "params,field",
    [
        ({"point": "XX99"}, "point"),
        ({"point": "LI4", "tool": "spoon"}, "tool"),
        ({"point": "LI4", "pressure": "crushing"}, "pressure"),
        ({"point": "LI4", "side": "up"}, "side"),
        ({"point": "LI4", "found": ["flag:pregnancy"]}, "found"),
        ({"point": "LI4", "found": ["sign:no-such-sign"]}, "found"),
    ],
)
def test_it_rejects_bad_input_with_field_errors(api_as_practitioner, client_with, params, field):
    url = reverse("api:client-cautions", args=[client_with().pk])
    response = api_as_practitioner.get(url, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert isinstance(response.json()[field], list)


def test_it_refuses_a_nul_in_the_query(api_as_practitioner, client_with):
    url = reverse("api:client-cautions", args=[client_with().pk])
    response = api_as_practitioner.get(url, {"point": "LI4\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_it_checks_ownership(api, outsider, client_with):
    client = client_with("pregnancy")
    url = reverse("api:client-cautions", args=[client.pk])
    api.force_authenticate(outsider.user)
    assert api.get(url, {"point": "SP6"}).status_code == 404
    assert api.get(reverse("api:client-cautions", args=[999999])).status_code == 404


def test_it_refuses_a_user_without_a_practitioner_profile(api, no_profile_user, client_with):
    api.force_authenticate(no_profile_user)
    response = api.get(reverse("api:client-cautions", args=[client_with().pk]))
    assert response.status_code == 403


def test_it_asks_an_anonymous_caller_to_log_in(api, client_with):
    response = api.get(reverse("api:client-cautions", args=[client_with().pk]))
    assert response.status_code == 401


def test_it_is_in_the_schema_with_its_parameters_and_answer(api_as_practitioner):
    schema = api_as_practitioner.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/clients/{id}/cautions/"]["get"]
    assert operation["operationId"] == "client_cautions"
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"id", "point", "side", "tool", "pressure", "found"}
    assert params["pressure"]["schema"]["enum"] == ["firm", "light", "moderate"]
    assert params["found"]["schema"]["type"] == "array"
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    answer = schema["components"]["schemas"]["ClientCautions"]
    assert set(answer["required"]) == {
        "point",
        "findings",
        "whole_client",
        "sites_missing",
        "suggested_max_seconds",
    }
    finding_schema = schema["components"]["schemas"]["CautionFinding"]
    assert {"label", "reason", "target", "needs_acknowledgement", "strength"} <= set(
        finding_schema["required"]
    )


def test_the_queries_do_not_grow_with_the_clients_flags(
    api_as_practitioner, client_with, django_assert_max_num_queries
):
    client = client_with(
        "pregnancy", "anticoagulant", "osteoporosis", "dvt_history", "lymphoedema", age=85
    )
    url = reverse("api:client-cautions", args=[client.pk])
    # The session and user, the practitioner, the client, the point (with its default tool),
    # the age flags, the rules (with their flags, points and tools): a fixed handful.
    with django_assert_max_num_queries(12):
        response = api_as_practitioner.get(url, {"point": "SP6", "found": ["flag:meal_alcohol"]})
    assert response.status_code == 200
