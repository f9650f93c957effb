"""The read-only API for the caution vocabulary: health flags, caution rules, warning signs."""

import pytest

from catalogue.models import CautionRule, HealthFlag, WarningSign

FLAGS, RULES, SIGNS = "/api/v1/health-flags/", "/api/v1/caution-rules/", "/api/v1/warning-signs/"


def every(api, url, params=None):
    """Every record of every page of the list."""
    response = api.get(url, params or {})
    assert response.status_code == 200, response.content
    found = response.json()["results"]
    while response.json()["next"]:
        response = api.get(response.json()["next"])
        found += response.json()["results"]
    return found


def test_a_health_flag_has_the_documented_fields(api_as_practitioner, catalogue):
    child = api_as_practitioner.get(f"{FLAGS}child/").json()
    assert child == {
        "code": "child",
        "label": "Child (under 16)",
        "kind": "age",
        "has_site": False,
        "under_age": 16,
        "from_age": None,
        "suggested_max_seconds": 60,
        "check_in_question": "",
        "description": HealthFlag.objects.get(code="child").description,
        "is_active": True,
    }
    fever = api_as_practitioner.get(f"{FLAGS}fever_acute_illness/").json()
    assert (fever["kind"], fever["check_in_question"]) == (
        "visit",
        "Do you have a fever or feel ill today?",
    )
    assert api_as_practitioner.get(f"{FLAGS}lymphoedema/").json()["has_site"] is True


def test_the_flags_list_holds_every_active_flag_in_order_and_filters_by_kind(
    api_as_practitioner, catalogue
):
    codes = [f["code"] for f in every(api_as_practitioner, FLAGS)]
    assert codes == list(HealthFlag.objects.active().values_list("code", flat=True))
    visit = [f["code"] for f in every(api_as_practitioner, FLAGS, {"kind": "visit"})]
    assert visit == ["fever_acute_illness", "meal_alcohol", "calf_hot_swollen"]


def test_a_caution_rule_has_the_documented_fields(api_as_practitioner, catalogue):
    rule = api_as_practitioner.get(f"{RULES}pregnancy-point-sp6/").json()
    stored = CautionRule.objects.get(key="pregnancy-point-sp6")
    assert rule == {
        "key": "pregnancy-point-sp6",
        "flag": "pregnancy",
        "scope": "point",
        "point": "SP6",
        "region": "",
        "tool": None,
        "pressure": "",
        "same_side_only": False,
        "action": "caution_note",
        "strength": "traditional only",
        "general_knowledge": False,
        "sources": stored.sources,
        "practitioner_note": stored.practitioner_note,
        "client_note": stored.client_note,
        "is_active": True,
    }
    elbow = api_as_practitioner.get(f"{RULES}anticoagulant-tool-elbow/").json()
    assert (elbow["scope"], elbow["tool"], elbow["point"], elbow["action"]) == (
        "tool",
        "elbow",
        None,
        "avoid",
    )


@pytest.mark.parametrize(
    "params,matching",
    [
        ({"flag": "anticoagulant"}, {"flag__code": "anticoagulant"}),
        ({"scope": "tool"}, {"scope": "tool"}),
        ({"action": "avoid"}, {"action": "avoid"}),
        ({"flag": "pregnancy", "scope": "region"}, {"flag__code": "pregnancy", "scope": "region"}),
    ],
)
def test_the_rules_filter_by_flag_scope_and_action(
    api_as_practitioner, catalogue, params, matching
):
    keys = {r["key"] for r in every(api_as_practitioner, RULES, params)}
    expected = set(CautionRule.objects.active().filter(**matching).values_list("key", flat=True))
    assert keys == expected and keys


@pytest.mark.parametrize(
    "url,params,field",
    [
        (RULES, {"flag": "no-such-flag"}, "flag"),
        (RULES, {"scope": "everywhere"}, "scope"),
        (RULES, {"action": "ignore"}, "action"),
        (SIGNS, {"condition": "no-such-condition"}, "condition"),
        (SIGNS, {"urgency": "whenever"}, "urgency"),
        (FLAGS, {"kind": "sometimes"}, "kind"),
    ],
)
def test_a_bad_filter_gets_a_field_error(api_as_practitioner, catalogue, url, params, field):
    response = api_as_practitioner.get(url, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_warning_sign_has_the_documented_fields(api_as_practitioner, catalogue):
    stored = WarningSign.objects.filter(conditions__isnull=False).first()
    sign = api_as_practitioner.get(f"{SIGNS}{stored.key}/").json()
    assert sign == {
        "key": stored.key,
        "sign": stored.sign,
        "client_wording": stored.client_wording,
        "urgency": stored.urgency,
        "conditions": sorted(c.slug for c in stored.conditions.all()),
        "any_condition": stored.any_condition,
        "for_flags": [],
        "sources": stored.sources,
        "is_active": True,
    }
    assert sign["conditions"]


def test_the_signs_filter_by_condition_as_the_check_in_asks_them_and_by_urgency(
    api_as_practitioner, catalogue
):
    from catalogue.models import Condition

    back = Condition.objects.get(slug="low-back-pain")
    keys = [s["key"] for s in every(api_as_practitioner, SIGNS, {"condition": "low-back-pain"})]
    expected = list(WarningSign.objects.for_conditions([back]).values_list("key", flat=True))
    assert keys == expected
    # The back's own signs and those for any complaint, not those for headache alone.
    assert WarningSign.objects.filter(conditions=back).exists()
    assert WarningSign.objects.filter(any_condition=True).exists()
    headache_only = WarningSign.objects.filter(conditions__slug="headache").exclude(conditions=back)
    assert headache_only.exists() and not set(keys) & {s.key for s in headache_only}
    emergency = every(api_as_practitioner, SIGNS, {"urgency": "emergency"})
    assert emergency and {s["urgency"] for s in emergency} == {"emergency"}


@pytest.mark.parametrize(
    "url,model,key",
    [(FLAGS, HealthFlag, "code"), (RULES, CautionRule, "key"), (SIGNS, WarningSign, "key")],
)
def test_a_retired_one_leaves_the_list_but_stays_readable(
    api_as_practitioner, catalogue, url, model, key
):
    retired = model.objects.order_by("pk").first()
    retired.is_active = False
    retired.save()
    value = getattr(retired, key)
    assert value not in {r[key] for r in every(api_as_practitioner, url)}
    listed = {r[key]: r for r in every(api_as_practitioner, url, {"include_retired": "1"})}
    assert listed[value]["is_active"] is False
    detail = api_as_practitioner.get(f"{url}{value}/")
    assert detail.status_code == 200 and detail.json()["is_active"] is False


def test_a_retired_flag_takes_its_rules_out_of_the_list(api_as_practitioner, catalogue):
    HealthFlag.objects.filter(code="epilepsy").update(is_active=False)
    keys = {r["key"] for r in every(api_as_practitioner, RULES, {"flag": "epilepsy"})}
    assert keys == set()
    listed = {r["key"] for r in every(api_as_practitioner, RULES, {"include_retired": "1"})}
    assert "epilepsy-all" in listed
    assert api_as_practitioner.get(f"{RULES}epilepsy-all/").status_code == 200


def test_the_lists_are_read_in_a_fixed_number_of_queries(
    api_as_practitioner, catalogue, django_assert_num_queries
):
    # Each list (the user is authenticated by the test client, the practitioner read once
    # already): the count and the page, with the rules' flags, points and tools joined;
    # the signs two more for their conditions and the flags they are kept for.
    for url, queries in ((FLAGS, 2), (RULES, 2), (SIGNS, 4)):
        with django_assert_num_queries(queries):
            assert api_as_practitioner.get(url).status_code == 200


@pytest.mark.parametrize("url", [FLAGS, RULES, SIGNS])
def test_the_vocabulary_is_read_only(api_as_practitioner, catalogue, url):
    assert api_as_practitioner.post(url, {"key": "new"}, format="json").status_code == 405
