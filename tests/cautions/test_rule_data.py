"""The shipped flags, rules and warning signs: complete, plain for clients, honest about
their strength, and every flag warns somewhere."""

import pytest
import textstat

from catalogue.cautioning import FlagProfile, RuleBook, Site
from catalogue.health_flags import BodyRegion
from catalogue.models import CautionRule, HealthFlag, Point, PressureTool, WarningSign

pytestmark = pytest.mark.django_db

FACT_FLAGS = {
    "pregnancy", "anticoagulant", "bleeding_disorder", "osteoporosis", "varicose_veins",
    "dvt_history", "diabetes_neuropathy", "cancer", "lymphoedema", "implanted_device",
    "recent_surgery", "recent_fracture", "skin_broken", "high_blood_pressure", "epilepsy",
    "strong_painkillers", "child", "frail_elderly", "all_clients", "calf_hot_swollen",
    "fever_acute_illness", "meal_alcohol",
}  # fmt: skip


def test_the_vocabulary_covers_every_flag_of_the_facts(catalogue):
    assert set(HealthFlag.objects.values_list("code", flat=True)) == FACT_FLAGS
    assert CautionRule.objects.count() == 115
    assert WarningSign.objects.count() == 57


def test_every_catalogue_point_has_one_of_the_facts_regions(catalogue):
    regions = dict(Point.objects.values_list("code", "region"))
    assert len(regions) == 365
    assert {code for code, region in regions.items() if region not in BodyRegion.values} == set()
    assert regions["BL23"] == "lower_back" and regions["SP6"] == "lower_leg"
    assert regions["GB21"] == "shoulder" and regions["LI4"] == "hand"


def findings_anywhere(book):
    """Every finding the book gives at any point, side, tool and pressure."""
    tools = list(PressureTool.objects.all())
    found = list(book.whole_client())
    for point in Point.objects.all():
        for side in ("left", "right"):
            for tool in tools:
                found += [
                    f.rule for f in book.for_row(point=point, side=side, tool=tool, pressure="firm")
                ]
    return found


@pytest.mark.parametrize("code", sorted(FACT_FLAGS))
def test_every_flag_in_the_vocabulary_triggers_a_warning(catalogue, code):
    flag = HealthFlag.objects.get(code=code)
    sites = {code: [{"region": "lower_leg", "side": "left"}]} if flag.has_site else {}
    book = RuleBook(FlagProfile.build(recorded=[code], sites=sites))
    flags_warned = {rule.flag.code for rule in findings_anywhere(book)}
    assert code in flags_warned


def client_texts():
    yield from (("rule " + r.key, r.client_note) for r in CautionRule.objects.all())
    yield from (("sign " + s.key, s.client_wording) for s in WarningSign.objects.all())
    yield from (
        ("question " + f.code, f.check_in_question)
        for f in HealthFlag.objects.exclude(check_in_question="")
    )


def test_every_client_facing_caution_and_warning_sign_reads_at_grade_seven_or_below(catalogue):
    texts = list(client_texts())
    assert len(texts) == 115 + 57 + 3
    too_hard = [(name, textstat.flesch_kincaid_grade(text)) for name, text in texts]
    assert [(name, grade) for name, grade in too_hard if grade > 7] == []


def test_textstat_tells_dense_from_plain_text():
    assert textstat.flesch_kincaid_grade("Press gently. Stop if it hurts.") < 4
    dense = "Anticoagulation-associated haematoma necessitates individualised pressure modulation."
    assert textstat.flesch_kincaid_grade(dense) > 14


def test_thin_evidence_is_shown_as_such(catalogue):
    general = CautionRule.objects.filter(sources__contains="GK")
    assert general.count() == 20
    for rule in general:
        assert rule.general_knowledge
        assert "general knowledge" in rule.strength_label
        assert rule.practitioner_note.startswith("General knowledge, no stored source")
    for rule in CautionRule.objects.filter(strength="traditional only"):
        assert rule.strength_label == "Traditional only"
        assert "not trial evidence" in rule.practitioner_note


def test_an_admin_edit_of_a_rule_survives_the_next_load(catalogue):
    from django.core.management import call_command

    rule = CautionRule.objects.get(key="anticoagulant-pressure-firm")
    rule.practitioner_note = "Our clinic: no firm pressure at all on warfarin."
    rule.save()
    call_command("load_catalogue", verbosity=0)
    rule.refresh_from_db()
    assert rule.practitioner_note == "Our clinic: no firm pressure at all on warfarin."
    assert rule.history.count() == 2
    call_command("load_catalogue", force=True, verbosity=0)
    rule.refresh_from_db()
    assert rule.practitioner_note != "Our clinic: no firm pressure at all on warfarin."


def test_the_site_of_a_flag_limits_where_its_site_rules_act(catalogue):
    book = RuleBook(
        FlagProfile.build(
            recorded=["recent_surgery"],
            sites={"recent_surgery": [{"region": "lower_back", "side": "left"}]},
        )
    )
    bl23 = Point.objects.get(code="BL23")
    left = book.for_row(point=bl23, side="left", tool=None, pressure="light")
    right = book.for_row(point=bl23, side="right", tool=None, pressure="light")
    assert [f.rule.key for f in left if f.breached] == ["recent-surgery-site"]
    assert [f.rule.key for f in right] == []
    assert Site("lower_back", "left") in book.profile.sites["recent_surgery"]
