import pytest
from django.core.management import call_command

from catalogue.loading import load_catalogue, read_csv
from catalogue.models import (
    CautionRule,
    Condition,
    Indication,
    Meridian,
    Point,
    PressureTool,
    WarningSign,
)

# The loader reads only the files the repo ships in catalogue/data/; so do these tests.
WHO_COUNTS = {
    "LU": 11,
    "LI": 20,
    "ST": 45,
    "SP": 21,
    "HT": 9,
    "SI": 19,
    "BL": 67,
    "KI": 27,
    "PC": 9,
    "TE": 23,
    "GB": 44,
    "LR": 14,
    "GV": 28,
    "CV": 24,
}


def test_it_loads_the_361_who_points_and_the_extras(catalogue):
    assert Point.objects.exclude(meridian__code="EX").count() == 361
    for code, count in WHO_COUNTS.items():
        assert Point.objects.filter(meridian__code=code).count() == count, code
    extras = set(Point.objects.filter(meridian__code="EX").values_list("code", flat=True))
    assert {"EX-HN3", "EX-HN5", "EX-UE8"} <= extras
    assert Meridian.objects.count() == 15


def test_every_shipped_point_is_loaded_with_its_facts(catalogue):
    rows = read_csv("who_points.csv") + read_csv("extra_points.csv")
    assert len(rows) == Point.objects.count() == 365
    facts = {
        code: (meridian, str(number), pinyin, hanzi, simplified)
        for code, meridian, number, pinyin, hanzi, simplified in Point.objects.values_list(
            "code", "meridian__code", "number", "pinyin", "hanzi", "hanzi_simplified"
        )
    }
    for row in rows:
        assert facts[row["code"]] == (
            row["meridian_code"],
            row["number"],
            row["pinyin"],
            row["hanzi"],
            row["hanzi_simplified"],
        ), row["code"]
    li4 = Point.objects.get(code="LI4")
    assert (li4.pinyin, li4.hanzi, li4.meridian.code, li4.number) == ("Hegu", "合谷", "LI", 4)


def test_every_well_cited_point_has_text_and_a_picture(catalogue):
    well_cited = set(
        Indication.objects.filter(source_count__gte=2).values_list("point__code", flat=True)
    )
    for code in well_cited | {"LI4", "SI3"}:
        point = Point.objects.get(code=code)
        assert point.location and point.self_care_instructions, code
        assert point.has_picture, code
        assert point.region, code
    assert "thumb" in Point.objects.get(code="LI4").self_care_instructions.lower()
    assert "little" in Point.objects.get(code="SI3").self_care_instructions.lower()


def test_the_source_articles_conditions_and_tools_are_there(catalogue):
    assert {
        "low-back-pain",
        "leg-pain-sciatica",
        "neck-pain",
        "headache",
        "tension",
        "stress",
        "anxiety",
    } <= set(Condition.objects.values_list("slug", flat=True))
    assert Indication.objects.get(point__code="GB20", condition__slug="neck-pain").source_count == 5
    assert {
        "thumb",
        "fingertip",
        "knuckle",
        "elbow",
        "palm",
        "pencil-eraser",
        "massage-stick",
        "tennis-ball",
    } == set(PressureTool.objects.values_list("slug", flat=True))
    assert PressureTool.objects.get(slug="elbow").self_applicable is False
    assert Point.objects.get(code="LI4").default_duration_seconds == 180


def test_every_shipped_rule_and_warning_sign_is_loaded(catalogue):
    assert CautionRule.objects.count() == len(read_csv("caution_rules.csv")) == 115
    assert WarningSign.objects.count() == len(read_csv("warning_signs.csv")) == 57


def test_pregnancy_cautions(catalogue):
    point_rules = CautionRule.objects.filter(flag__code="pregnancy", scope="point")
    cautioned = set(point_rules.values_list("point__code", flat=True))
    expected = {"LI4", "SP6", "BL60", "BL67", "GB21"} | {f"CV{n}" for n in range(2, 14)}
    assert cautioned == expected
    sp6 = point_rules.get(point__code="SP6")
    assert "judgement" in sp6.practitioner_note
    assert (sp6.action, sp6.strength) == ("caution_note", "traditional only")
    assert set(
        point_rules.filter(point__code__startswith="CV").values_list("action", flat=True)
    ) == {"avoid"}


def test_loading_twice_changes_nothing(catalogue):
    histories = Point.history.count()
    report = load_catalogue()
    assert not report.created and not report.updated and not report.kept_edits
    assert Point.history.count() == histories


def test_reloading_keeps_admin_edits_unless_forced(catalogue):
    point = Point.objects.get(code="LI4")
    point.location = "Our clinic's own wording."
    point.save()
    report = load_catalogue()
    assert report.kept_edits == ["LI4"]
    point.refresh_from_db()
    assert point.location == "Our clinic's own wording."
    call_command("load_catalogue", force=True, verbosity=0)
    point.refresh_from_db()
    assert point.location != "Our clinic's own wording."


def test_it_never_deletes_a_point(catalogue):
    Point.objects.create(
        code="EX-LE99",
        meridian=Meridian.objects.get(code="EX"),
        number=99,
        pinyin="Local",
        hanzi="新",
    )
    load_catalogue(force=True)
    assert Point.objects.filter(code="EX-LE99").exists()


@pytest.mark.parametrize("code", ["LI4", "GB20", "EX-HN3"])
def test_search_keys_are_set(catalogue, code):
    point = Point.objects.get(code=code)
    assert point.code_key == code.lower().replace("-", "")


def test_an_edited_point_without_a_place_gets_the_shipped_one_and_keeps_its_edit(catalogue):
    Point.objects.filter(code="LI4").update(
        location="Our clinic's own words.", figure="", figure_x=None, figure_y=None
    )
    call_command("load_catalogue", verbosity=0)
    li4 = Point.objects.get(code="LI4")
    assert li4.location == "Our clinic's own words."
    assert (li4.figure, str(li4.figure_x)) == ("hand_back", "31.9")
