"""The JPEG figures printed on home-care sheets, drawn from the SVG figures."""

import hashlib
from decimal import Decimal

import pytest
from PIL import Image

from catalogue.figures import FIGURES_DIR, PRINT_FIGURES_DIR, load_figure
from catalogue.models import Figure, Point
from homecare.pictures import SheetPicture, figure_stylesheet


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
    picture = SheetPicture.for_point(point)
    # The hand figure is 400 x 320: 42 mm across fills the 42 x 50 mm box.
    assert picture.size_mm == (42.0, 33.6)
    # The 5 mm marker is centred 3 mm (the inset) plus 50 % across and 25 % down.
    assert picture.style == "min-height: 33.6mm; background-position: 21.5mm 8.9mm, 3mm 3mm"
    assert picture.css_class == "figure-hand"
    assert (
        '.figure-hand { background-image: url("figures/marker.svg"), url("figures/hand.jpg"); '
        "background-size: 5mm 5mm, 42.0mm 33.6mm; }"
    ) in figure_stylesheet()


def test_large_print_puts_a_bigger_picture_above_the_text():
    point = Point(code="KI1", figure="foot", figure_x=Decimal("10"), figure_y=Decimal("90"))
    picture = SheetPicture.for_point(point, large_print=True)
    width, height = picture.size_mm
    assert width == 60.0
    assert picture.style.startswith(f"padding-top: {height + 6:.1f}mm;")
    assert f".large-print .figure-foot {{ background-size: 5mm 5mm, {width}mm {height}mm; }}" in (
        figure_stylesheet()
    )


def test_a_point_without_a_figure_has_no_picture():
    assert SheetPicture.for_point(Point(code="GV20")) is None
