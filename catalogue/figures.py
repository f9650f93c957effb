"""The body views (SVG drawn by the project) with a point's markers on them.

Each view's SVG leaves its top band empty; the view's title and which half is the client's
left and right are written there (`labelled_figure`), the same on screen and in print."""

import hashlib
import itertools
import re
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .body_views import body_views

FIGURES_DIR = Path(__file__).resolve().parent / "figures"
# The same figures drawn as JPEGs by scripts/rasterize_figures.py, for the printed sheets.
PRINT_FIGURES_DIR = Path(__file__).resolve().parents[1] / "static" / "figures"
VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"')
IDS = re.compile(r'(id="|href="#)([\w-]+)"')
# Each inlined figure's ids get a number of their own (see with_ids_prefixed).
_inlined = itertools.count(1)
LABEL_STYLE = 'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif" fill="#111"'


@lru_cache(maxsize=32)
def load_figure(name):
    """The figure's SVG text (without the closing tag) and its viewBox numbers."""
    text = (FIGURES_DIR / f"{name}.svg").read_text(encoding="utf-8")
    text = re.sub(r"<\?xml[^>]*\?>\s*", "", text).strip()
    box = tuple(float(n) for n in VIEWBOX.search(text).groups())
    return text[: text.rindex("</svg>")], box


@lru_cache(maxsize=32)
def labelled_figure(name):
    """The figure with its title and its Left / Right labels in the top band."""
    body, box = load_figure(name)
    view = body_views()[name]
    min_x, min_y, width, _ = box
    left, right = view.side_labels
    labels = (
        f'<g class="view-labels" {LABEL_STYLE} font-size="8.5">'
        f'<text x="{min_x + width / 2:.1f}" y="{min_y + 7:.1f}" text-anchor="middle">'
        f"{escape(view.title)}</text>"
        f'<text x="{min_x + 3:.1f}" y="{min_y + 15:.1f}" font-weight="bold">{left}</text>'
        f'<text x="{min_x + width - 3:.1f}" y="{min_y + 15:.1f}" text-anchor="end" '
        f'font-weight="bold">{right}</text></g>'
    )
    return body + labels, box


def print_source_sha256(name):
    """What the view's print JPEG is drawn from, to tell when it must be drawn again."""
    body, _ = labelled_figure(name)
    return hashlib.sha256(body.encode()).hexdigest()


def with_ids_prefixed(svg, prefix):
    """The figure's ids (and the `href="#..."` that use them) prefixed: two figures inlined
    in one page must not share an id, or every view's `<use href="#half">` draws the first
    view's half."""
    return IDS.sub(lambda m: f'{m.group(1)}{prefix}-{m.group(2)}"', svg)


def marker_svg(cx, cy, diameter):
    """A dark dot inside a ring: visible in colour and in black-and-white print."""
    radius = diameter / 2
    dot = radius * 0.55
    return (
        f'<g class="point-marker"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius * 0.85:.2f}" '
        f'fill="none" stroke="#000" stroke-width="{radius * 0.3:.2f}"/>'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{dot:.2f}" fill="#c0392b" '
        f'stroke="#000" stroke-width="{dot / 4:.2f}"/></g>'
    )


def marked_figure(view_key, places, *, label="", css_class="point-figure"):
    """SVG markup of the view with a marker at each (x, y) percent place; safe to inline."""
    body, (min_x, min_y, width, height) = labelled_figure(view_key)
    body = with_ids_prefixed(body, f"figure{next(_inlined)}")
    diameter = body_views()[view_key].marker_units
    markers = "".join(
        marker_svg(min_x + width * float(x) / 100, min_y + height * float(y) / 100, diameter)
        for x, y in places
    )
    opening = f'<svg class="{escape(css_class)}" role="img" aria-label="{escape(label)}" '
    svg = body.replace("<svg ", opening, 1) + markers + "</svg>"
    return mark_safe(svg)


def picture_label(point):
    view = point.body_view
    sides = "both sides" if len(point.marker_places()) == 2 else "the midline"
    return f"{point.code} marked on {sides}: {view.title.lower()}"


def point_picture(point, css_class="point-figure"):
    if not point.has_picture or point.body_view is None:
        return ""
    return marked_figure(
        point.figure, point.marker_places(), label=picture_label(point), css_class=css_class
    )


def print_figure_path(figure):
    """The figure's JPEG, relative to the static files."""
    return f"figures/{figure}.jpg"


def fitted_size_mm(figure, max_width_mm, max_height_mm):
    """The figure's width and height in mm when fitted inside the given box."""
    _, (_, _, width, height) = load_figure(figure)
    scale = min(max_width_mm / width, max_height_mm / height)
    return round(width * scale, 1), round(height * scale, 1)
