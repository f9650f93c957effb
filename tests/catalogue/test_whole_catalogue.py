"""Every point of the shipped catalogue described, placed and pictured (issue 13)."""

import re
from pathlib import Path

import pytest
import textstat

from catalogue.body_views import body_views
from catalogue.coverage import coverage_lines
from catalogue.figures import marked_figure, point_picture
from catalogue.models import NotSelfCareReason, Point, SelfCareWay
from catalogue.readability import grade_level
from catalogue.tool_words import tool_disagreement

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artifacts" / "figures"
MARKER = re.compile(r'<g class="point-marker"><circle cx="([\d.]+)" cy="([\d.]+)"')
pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.fixture
def points():
    return list(Point.objects.active().select_related("meridian", "default_tool"))


def test_all_365_points_have_a_name_region_location_and_a_place_on_a_view(points):
    assert len(points) == 365
    missing = {
        point.code: [
            name
            for name in ("english_name", "region", "location", "figure")
            if not getattr(point, name)
        ]
        for point in points
    }
    assert {code: names for code, names in missing.items() if names} == {}


def test_each_point_is_on_a_view_that_shows_its_region_and_side(points):
    views = body_views()
    wrong = []
    for point in points:
        view = views[point.figure]
        x = float(point.figure_x)
        if point.region not in view.regions:
            wrong.append(f"{point.code}: {point.region} not on {view.key}")
        if point.bilateral and not x < 50:
            wrong.append(f"{point.code}: bilateral, stored at x={x}, not on the left half")
        if not point.bilateral and (x != 50 or not view.midline):
            wrong.append(f"{point.code}: midline point at x={x} on {view.key}")
    assert wrong == []


def test_every_view_is_used_and_has_its_drawing(points):
    used = {point.figure for point in points}
    assert used == set(body_views())


def test_self_care_points_say_how_and_the_others_say_why_not(points):
    wrong = []
    for point in points:
        if point.self_care:
            if point.self_care_with not in SelfCareWay.values:
                wrong.append(f"{point.code}: self-care with no way")
            if not point.self_care_instructions:
                wrong.append(f"{point.code}: self-care with no text")
            if not point.default_tool.self_applicable:
                wrong.append(f"{point.code}: tool {point.default_tool.slug} for self-care")
        elif point.not_self_care_reason not in NotSelfCareReason.values:
            wrong.append(f"{point.code}: not for self-care, with no reason")
    assert wrong == []


def test_the_default_tool_agrees_with_the_text_across_the_catalogue(points):
    disagreements = {
        point.code: problem
        for point in points
        if point.self_care
        and (
            problem := tool_disagreement(
                point.self_care_instructions, point.default_tool.slug, point.self_care_with
            )
        )
    }
    assert disagreements == {}
    by_code = {point.code: point for point in points}
    assert by_code["GB30"].default_tool.slug == "tennis-ball"
    assert by_code["BL54"].default_tool.slug == "tennis-ball"


@pytest.mark.parametrize(
    "text",
    [
        "Press here. Hold it for a count of ten.",
        "Find the spot. Press with your thumb.",
    ],
)
def test_the_tool_rule_catches_a_contradiction(text):
    assert tool_disagreement("Lie on a tennis ball there.", "knuckle", "alone")
    assert tool_disagreement(text, "tennis-ball", "tennis_ball")
    assert tool_disagreement("Ask a helper to press with their thumb.", "thumb", "partner") is None
    assert tool_disagreement("Press with your thumb.", "thumb", "partner")


def test_every_self_care_text_reads_at_grade_7_or_below(points):
    too_hard = {
        point.code: (round(textstat.flesch_kincaid_grade(text), 1), round(grade_level(text), 1))
        for point in points
        if (text := point.self_care_instructions)
        and (textstat.flesch_kincaid_grade(text) > 7 or grade_level(text) > 7)
    }
    assert too_hard == {}


def test_durations_other_than_three_minutes_say_why(points):
    unexplained = [
        point.code
        for point in points
        if point.default_duration_seconds != 180 and not point.duration_note
    ]
    assert unexplained == []
    assert all(30 <= point.default_duration_seconds <= 300 for point in points)


def test_lu7_and_gv26_follow_who_2008(points):
    by_code = {point.code: point for point in points}
    lu7 = by_code["LU7"].location.lower()
    assert "abductor pollicis longus" in lu7 and "extensor pollicis brevis" in lu7
    gv26 = by_code["GV26"].location.lower()
    assert "midpoint" in gv26 and gv26.index("midpoint") < gv26.index("third")


def test_the_condition_points_can_go_on_a_sheet(points):
    by_code = {point.code: point for point in points}
    nine = ["BL11", "BL15", "BL17", "BL32", "EX-B2", "GV3", "GV4", "GV14"]
    assert [code for code in nine if not by_code[code].self_care] == []
    assert by_code["GV26"].not_self_care_reason == NotSelfCareReason.NEEDS_TRAINING


def markers(svg):
    return [(float(x), float(y)) for x, y in MARKER.findall(svg)]


def test_rendered_pictures_draw_bilateral_points_twice_and_midline_points_on_the_midline(points):
    wrong = []
    for point in points:
        drawn = markers(point_picture(point))
        if point.bilateral:
            (x1, y1), (x2, y2) = drawn
            if not (x1 < 100 < x2 and abs(x1 + x2 - 200) < 0.2 and y1 == y2):
                wrong.append(f"{point.code}: {drawn}")
        elif len(drawn) != 1 or drawn[0][0] != 100:
            wrong.append(f"{point.code}: {drawn}")
    assert wrong == []


def test_limb_markers_are_at_most_a_fifth_of_the_limb():
    for view in body_views().values():
        if view.limb_width:
            assert view.marker_units <= view.limb_width / 5, view.key


def test_one_picture_per_view_with_all_its_markers_for_a_reviewer(points):
    """Saved to test-artifacts/figures/ (not committed) for a reviewer to look at."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for key, view in body_views().items():
        on_view = [point for point in points if point.figure == key]
        places = [place for point in on_view for place in point.marker_places()]
        svg = marked_figure(key, places, label=f"All {len(on_view)} points on {view.title}")
        assert len(markers(svg)) == len(places) > 0
        (ARTEFACTS / f"{key}.svg").write_text(f'<?xml version="1.0"?>\n{svg}', encoding="utf-8")


def test_docs_state_the_coverage_figures():
    document = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    assert "\n".join(coverage_lines()) in document, (
        "docs/catalogue.md is out of date: paste in `manage.py catalogue_coverage`"
    )
