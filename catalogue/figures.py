"""The body figures (SVG drawn by the project) with a point marked on them."""

import re
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import mark_safe

FIGURES_DIR = Path(__file__).resolve().parent / "figures"
# The same figures drawn as JPEGs by scripts/rasterize_figures.py, for the printed sheets.
PRINT_FIGURES_DIR = Path(__file__).resolve().parents[1] / "static" / "figures"
VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"')


@lru_cache(maxsize=16)
def load_figure(name):
    """The figure's SVG text (without the closing tag) and its viewBox numbers."""
    text = (FIGURES_DIR / f"{name}.svg").read_text(encoding="utf-8")
    text = re.sub(r"<\?xml[^>]*\?>\s*", "", text).strip()
    box = tuple(float(n) for n in VIEWBOX.search(text).groups())
    return text[: text.rindex("</svg>")], box


def marked_figure(figure, x_percent, y_percent, *, label="", css_class="point-figure"):
    """SVG markup of `figure` with a marker at the given percentages; safe to inline."""
    body, (min_x, min_y, width, height) = load_figure(figure)
    cx = min_x + width * float(x_percent) / 100
    cy = min_y + height * float(y_percent) / 100
    radius = min(width, height) / 50
    # A dark dot inside a ring: visible in colour and in black-and-white print.
    marker = (
        f'<g class="point-marker"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius * 1.9:.1f}" '
        f'fill="none" stroke="#000" stroke-width="{radius / 2.5:.1f}"/>'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="#c0392b" '
        f'stroke="#000" stroke-width="{radius / 4:.1f}"/></g>'
    )
    opening = f'<svg class="{escape(css_class)}" role="img" aria-label="{escape(label)}" '
    svg = body.replace("<svg ", opening, 1) + marker + "</svg>"
    return mark_safe(svg)


def point_picture(point, css_class="point-figure"):
    if not point.has_picture:
        return ""
    label = f"{point.code} marked on the {point.get_figure_display().lower()} figure"
    return marked_figure(
        point.figure, point.figure_x, point.figure_y, label=label, css_class=css_class
    )


def print_figure_path(figure):
    """The figure's JPEG, relative to the static files."""
    return f"figures/{figure}.jpg"


def fitted_size_mm(figure, max_width_mm, max_height_mm):
    """The figure's width and height in mm when fitted inside the given box."""
    _, (_, _, width, height) = load_figure(figure)
    scale = min(max_width_mm / width, max_height_mm / height)
    return round(width * scale, 1), round(height * scale, 1)
