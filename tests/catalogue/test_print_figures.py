"""The JPEG figures printed on home-care sheets, drawn from the SVG figures."""

import hashlib
from decimal import Decimal

import pytest
from PIL import Image

from catalogue.figures import FIGURES_DIR, PRINT_FIGURES_DIR, load_figure
from catalogue.models import Figure, Point
from sessions.templatetags.sheet_tags import sheet_picture


@pytest.mark.parametrize("figure", Figure.values)
def test_each_figure_has_a_print_jpeg_drawn_from_its_current_svg(figure):
    svg_hash = hashlib.sha256((FIGURES_DIR / f"{figure}.svg").read_bytes()).hexdigest()
    with Image.open(PRINT_FIGURES_DIR / f"{figure}.jpg") as jpeg:
        assert jpeg.format == "JPEG" and jpeg.mode == "L"
        assert jpeg.info["comment"] == f"svg-sha256={svg_hash}".encode(), (
            f"{figure}.svg changed: run scripts/rasterize_figures.py"
        )
        _, (_, _, width, height) = load_figure(figure)
        assert jpeg.width / jpeg.height == pytest.approx(width / height, rel=0.01)
        assert jpeg.width >= 800  # about 300 dpi at the large-print width


def test_the_picture_fits_its_box_and_the_marker_sits_on_the_point():
    point = Point(code="LI4", figure="hand", figure_x=Decimal("50"), figure_y=Decimal("25"))
    picture = sheet_picture(point)
    # The hand figure is 400 x 320: 42 mm across fills the 42 x 50 mm box.
    assert (picture.picture.width_mm, picture.picture.height_mm) == (42.0, 33.6)
    # The 5 mm marker is centred 3 mm (the inset) plus 50 % across and 25 % down.
    assert "background-position: 21.5mm 8.9mm, 3mm 3mm" in picture.background_style
    assert "url(figures/hand.jpg)" in picture.background_style
    assert picture.space_style == "min-height: 33.6mm"


def test_large_print_puts_a_bigger_picture_above_the_text():
    point = Point(code="KI1", figure="foot", figure_x=Decimal("10"), figure_y=Decimal("90"))
    picture = sheet_picture(point, large_print=True)
    assert picture.picture.width_mm == 60.0
    assert picture.space_style == f"padding-top: {picture.picture.height_mm + 6:.1f}mm"


def test_a_point_without_a_figure_has_no_picture():
    assert sheet_picture(Point(code="GV20")) is None
