"""Draw each body view (catalogue/figures/*.svg, with its title and Left / Right labels) as a
grayscale JPEG for the PDF sheets.

Run after changing a view: DJANGO_DEBUG=1 .venv/bin/python scripts/rasterize_figures.py
WeasyPrint draws an SVG path by path, in Python, for every sheet; a JPEG it copies into
the PDF as it is. The point markers are painted over the picture by the sheet's CSS, so one
picture per view serves every point. Each JPEG records the SHA-256 of the labelled SVG it
was drawn from, and a test fails when a view or its title changes without being drawn again.
Uses Debian's chromium through Playwright (a test dependency), never a browser download.
"""

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalogue.figures import (  # noqa: E402
    FIGURES_DIR,
    PRINT_FIGURES_DIR,
    labelled_figure,
    print_source_sha256,
)

# 500 px across: 300 dpi at the sheet's 42 mm, 210 dpi at large print's 60 mm, enough for
# line drawings. The JPEG is copied into every PDF: its size is part of each render's cost
# (800 px at quality 90 made the benchmark's sheet 365 KB and a quarter slower).
WIDTH_PX = 500
QUALITY = 75
MARKER_PX = 96  # the marker, a PNG painted over the pictures: 2 mm at over 1,000 dpi


def draw(browser, name):
    body, (_, _, width, height) = labelled_figure(name)
    height_px = round(WIDTH_PX * height / width)
    page = browser.new_page(viewport={"width": WIDTH_PX, "height": height_px})
    page.set_content(
        "<style>html,body{margin:0;background:#fff}"
        f"svg{{display:block;width:{WIDTH_PX}px;height:{height_px}px}}</style>{body}</svg>"
    )
    png = page.screenshot(type="png")
    page.close()
    image = Image.open(io.BytesIO(png)).convert("L")
    target = PRINT_FIGURES_DIR / f"{name}.jpg"
    image.save(
        target, quality=QUALITY, dpi=(300, 300), comment=f"svg-sha256={print_source_sha256(name)}"
    )
    return target, image.size


def draw_marker(browser):
    """static/figures/marker.svg as a PNG with a transparent background: WeasyPrint would
    draw the SVG shape by shape for every marker of every sheet."""
    page = browser.new_page(viewport={"width": MARKER_PX, "height": MARKER_PX})
    svg = (PRINT_FIGURES_DIR / "marker.svg").read_text(encoding="utf-8")
    page.set_content(
        "<style>html,body{margin:0;background:transparent}"
        f"svg{{display:block;width:{MARKER_PX}px;height:{MARKER_PX}px}}</style>{svg}"
    )
    target = PRINT_FIGURES_DIR / "marker.png"
    target.write_bytes(page.screenshot(type="png", omit_background=True))
    page.close()
    return target


def main():
    PRINT_FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for svg in sorted(FIGURES_DIR.glob("*.svg")):
            target, size = draw(browser, svg.stem)
            print(f"{target.relative_to(ROOT)}: {size[0]} x {size[1]} px")
        print(f"{draw_marker(browser).relative_to(ROOT)}: {MARKER_PX} x {MARKER_PX} px")
        browser.close()


if __name__ == "__main__":
    main()
