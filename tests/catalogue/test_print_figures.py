"""The JPEG views printed on home-care sheets, drawn from the labelled SVG views, and the
markers placed over them."""

import math
from decimal import Decimal
from types import SimpleNamespace

import pytest
from PIL import Image

from catalogue.body_views import body_views
from catalogue.figures import PRINT_FIGURES_DIR, labelled_figure, load_figure, print_source_sha256
from catalogue.models import Point
from homecare.pictures import PICTURE_BOX, SheetPicture, figure_stylesheet, marker_mm
from homecare.rows import ItemRow


@pytest.mark.parametrize("figure", list(body_views()))
def test_each_view_has_a_print_jpeg_drawn_from_its_current_svg(figure):
    with Image.open(PRINT_FIGURES_DIR / f"{figure}.jpg") as jpeg:
        assert jpeg.format == "JPEG" and jpeg.mode == "L"
        assert jpeg.info["comment"] == f"svg-sha256={print_source_sha256(figure)}".encode(), (
            f"{figure}.svg or its title changed: run scripts/rasterize_figures.py"
        )
        _, (_, _, width, height) = load_figure(figure)
        assert jpeg.width / jpeg.height == pytest.approx(width / height, rel=0.01)
        assert jpeg.width >= 500  # 300 dpi at the sheet's 42 mm, 210 in large print


@pytest.mark.parametrize("figure", list(body_views()))
def test_each_view_is_labelled_with_its_title_and_left_and_right(figure):
    view = body_views()[figure]
    svg, _ = labelled_figure(figure)
    assert f">{view.title}</text>" in svg
    assert ">Left</text>" in svg and ">Right</text>" in svg


def item(code, figure, x, y, side="both"):
    point = Point(code=code, figure=figure, figure_x=Decimal(x), figure_y=Decimal(y))
    return SimpleNamespace(point=point, side=side)


def test_a_bilateral_item_for_both_sides_has_a_marker_on_each_side():
    picture = SheetPicture.for_item(item("LI4", "hand_back", "25", "50"))
    width, height = picture.size_mm
    assert width <= PICTURE_BOX[False][0] and height <= PICTURE_BOX[False][1]
    (left_x, left_y), (right_x, right_y) = picture.marker_centres_mm()
    assert left_y == right_y and left_x + right_x == pytest.approx(2 * 3 + width)
    assert picture.css_class == "figure-hand_back markers-2"
    dot = marker_mm("hand_back", False)
    rule = (
        '.figure-hand_back.markers-2 { background-image: url("figures/marker.png"), '
        'url("figures/marker.png"), url("figures/hand_back.jpg"); '
        f"background-size: {dot}mm {dot}mm, {dot}mm {dot}mm, {width}mm {height}mm; }}"
    )
    assert rule in figure_stylesheet()


def test_a_one_sided_item_marks_only_its_side():
    # The backs of the hands: the viewer's left half is the client's left hand.
    left = SheetPicture.for_item(item("LI4", "hand_back", "25", "50", side="left"))
    right = SheetPicture.for_item(item("LI4", "hand_back", "25", "50", side="right"))
    assert left.places == ((25.0, 50.0),) and right.places == ((75.0, 50.0),)
    assert "the left side" in left.label and "the right side" in right.label


def test_a_midline_point_has_one_marker_on_the_midline():
    picture = SheetPicture.for_item(item("GV20", "head_back", "50", "30", side="midline"))
    assert picture.places == ((50.0, 30.0),) and picture.css_class.endswith("markers-1")


def test_large_print_puts_a_bigger_picture_above_the_text():
    picture = SheetPicture.for_item(item("KI1", "sole", "30", "40"), large_print=True)
    width, height = picture.size_mm
    assert width > SheetPicture.for_item(item("KI1", "sole", "30", "40")).size_mm[0]
    assert picture.style.startswith(f"padding-top: {height + 6:.1f}mm;")


def test_a_point_without_a_figure_has_no_picture():
    assert SheetPicture.for_item(SimpleNamespace(point=Point(code="GV20"), side="both")) is None


@pytest.mark.django_db
@pytest.mark.parametrize("large_print", [False, True])
def test_bl23_and_gv4_print_at_least_4_mm_apart(catalogue, large_print):
    def picture(code, side):
        point = Point.objects.get(code=code)
        return SheetPicture.for_item(SimpleNamespace(point=point, side=side), large_print)

    bl23, gv4 = picture("BL23", "both"), picture("GV4", "midline")
    assert bl23.figure == gv4.figure == "lower_back"
    ((gv4_x, gv4_y),) = gv4.marker_centres_mm()
    for x, y in bl23.marker_centres_mm():
        apart = math.dist((x, y), (gv4_x, gv4_y))
        assert apart >= 4
        assert apart - marker_mm("lower_back", large_print) >= 1.5  # a clear gap between them


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code,asked,printed",
    [("GV4", "left", "midline"), ("GV4", "both", "midline"), ("LI4", "midline", "both")],
)
def test_a_sheet_item_takes_the_side_its_point_has(catalogue, code, asked, printed):
    row = ItemRow(point=Point.objects.get(code=code), side=asked)
    assert row.side == printed


def test_the_marker_png_is_drawn_from_the_marker_svg():
    with Image.open(PRINT_FIGURES_DIR / "marker.png") as marker:
        assert marker.mode == "RGBA" and marker.size == (96, 96)
        assert marker.getpixel((0, 0))[3] == 0  # transparent round the ring
        red, green, blue, alpha = marker.getpixel((48, 48))
        assert alpha == 255 and red > 150 > green  # the red dot in the middle
