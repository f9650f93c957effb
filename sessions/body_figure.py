"""The body figures of a session: the session form's figure to pick points on and mark
pain on, and the pictures of what was marked and pressed (session page, client timeline).

The figures are the catalogue's views (catalogue/figures.py); several are inlined on one
page, so each copy's ids are made its own (`scoped_figure`)."""

import math
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from catalogue.body_views import MIDLINE_BAND, body_views
from catalogue.cautioning import EVERYONE
from catalogue.figures import labelled_figure, marker_svg, with_ids_prefixed
from catalogue.models import Point

from .pain_marks import SIZES, saved_marks

DEFAULT_VIEW = "lower_back"
# In viewBox units: a figure 200 units wide drawn 640 px wide (a tablet) gives a hit
# circle of 28 units 90 px across; where points are closer, half the way to the nearest
# (LI4: 18 units, 58 px).
HIT_RADIUS = 14


def scoped_figure(view_key, *, prefix, css_class, label="", role="img"):
    """The view's labelled SVG (without its closing tag), its ids prefixed."""
    body, box = labelled_figure(view_key)
    body = with_ids_prefixed(body, prefix)
    opening = f'<svg class="{escape(css_class)}" role="{role}" aria-label="{escape(label)}" '
    return body.replace("<svg ", opening, 1), box


def to_units(box, x, y):
    min_x, min_y, width, height = box
    return min_x + width * float(x) / 100, min_y + height * float(y) / 100


def place_side(view, point, x):
    return view.side_at(x) if point.bilateral else "midline"


def _hit_radii(places):
    """Each marker's hit circle: HIT_RADIUS, or half the way to its nearest neighbour.
    Only neighbours nearer than twice HIT_RADIUS shrink a circle, so each marker is
    compared with those that close in x (in x order), not with every other marker."""
    reach = 2 * HIT_RADIUS
    order = sorted(range(len(places)), key=lambda i: places[i][0])
    nearest = [reach] * len(places)
    for rank, i in enumerate(order):
        x, _ = places[i]
        for j in order[rank + 1 :]:
            if places[j][0] - x >= reach:
                break
            apart = math.dist(places[i], places[j])
            nearest[i], nearest[j] = min(nearest[i], apart), min(nearest[j], apart)
    return [round(min(HIT_RADIUS, apart / 2), 1) for apart in nearest]


@dataclass(frozen=True)
class FigureView:
    key: str
    title: str
    svg: str


@dataclass(frozen=True)
class PickingFigure:
    views: list[FigureView]
    initial_view: str
    data: dict  # for body_figure.js: each view's markers, sizes and side labels


FIGURE_FIELDS = ("pk", "code", "pinyin", "region", "figure", "figure_x", "figure_y")


def figure_rows() -> tuple:
    """What the figure draws of every active catalogue point on a view: one query."""
    return tuple(
        Point.objects.active()
        .exclude(figure="")
        .filter(figure_x__isnull=False, figure_y__isnull=False)
        .order_by("code")
        .values_list(*FIGURE_FIELDS)
    )


@lru_cache(maxsize=2)
def figure_geometry(rows: tuple) -> dict:
    """Each view's markers (with their points and hit circles) for these catalogue rows.
    The same for every client and every page until the catalogue's points change, and
    the longest part of drawing the figure, so it is kept for the rows it was made from."""
    by_view = {}
    for row in rows:
        point = Point(**dict(zip(FIGURE_FIELDS, row, strict=True)))
        by_view.setdefault(point.figure, []).append(point)
    geometry = {}
    for key, view in body_views().items():
        _, box = labelled_figure(key)
        markers = []
        for point in by_view.get(key, []):
            for x, y in point.marker_places():
                side = place_side(view, point, x)
                cx, cy = to_units(box, x, y)
                marker = {
                    "code": point.code,
                    "side": side,
                    "label": f"{point.code} {point.pinyin}, {side}",
                    "x": round(cx, 1),
                    "y": round(cy, 1),
                }
                markers.append((point, marker))
        radii = _hit_radii([(m["x"], m["y"]) for _, m in markers])
        for (_, marker), radius in zip(markers, radii, strict=True):
            marker["hit"] = radius
        geometry[key] = markers
    return geometry


def cautioned(book, point, side) -> bool:
    """A location rule of one of this client's flags meets the point: the notes for every
    client (the neck, the hands, the belly) would mark whole regions for everyone."""
    return any(rule.flag.code != EVERYONE for rule in book.at_point(point, side))


def picking_figure(*, book, first_code="", pain_marks=()) -> PickingFigure:
    """The session form's figure: every view, every point, the client's cautions marked."""
    rows = figure_rows()
    geometry = figure_geometry(rows)
    own_rules = [rule for rule in book.rules if rule.flag.code != EVERYONE]
    views, data = [], {}
    for key, view in body_views().items():
        svg, box = scoped_figure(
            key, prefix=f"pick-{key}", css_class="body-figure-svg", label=view.title, role="group"
        )
        views.append(FigureView(key, view.title, mark_safe(svg + "</svg>")))
        data[key] = {
            "title": view.title,
            "sides": [label.lower() for label in view.side_labels],
            "midline": view.midline,
            "box": box,
            "marker": view.marker_units,
            "points": [
                {**marker, "caution": bool(own_rules) and cautioned(book, point, marker["side"])}
                for point, marker in geometry[key]
            ],
        }
    codes = {row[1]: row[4] for row in rows}
    marked = [mark.get("view") for mark in pain_marks if isinstance(mark, dict)]
    initial = codes.get((first_code or "").strip().upper()) or next(
        (key for key in marked if key in data), DEFAULT_VIEW
    )
    data_all = {"views": data, "sizes": SIZES, "midline_band": MIDLINE_BAND}
    return PickingFigure(views, initial, data_all)


# -- what was marked and pressed ---------------------------------------------------------


def pain_circle(box, mark):
    cx, cy = to_units(box, mark.x, mark.y)
    radius = box[2] * mark.radius / 100
    # Darker for more pain; the outline keeps a faint mark visible in print.
    return (
        f'<circle class="pain-mark" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
        f'fill="#d6336c" fill-opacity="{0.2 + mark.intensity * 0.06:.2f}" '
        f'stroke="#8b1a42" stroke-width="1"><title>{escape(mark.description)}</title></circle>'
    )


def pressed_places(view, treated):
    """Where a treated point was pressed on its view: the side recorded, or both."""
    point = treated.point
    places = point.marker_places()
    if treated.side in ("both", "midline") or len(places) < 2:
        return places
    return [(x, y) for x, y in places if view.side_at(x) == treated.side] or places


@dataclass(frozen=True)
class MarkedView:
    key: str
    title: str
    svg: str
    marks: list  # the PainMarks on this view
    pressed: list[str]  # "LI4 (left)"


def marked_views(session, *, with_point_views=True, css_class="pain-figure"):
    """The views with the session's pain marks (and, `with_point_views`, those of the points
    pressed), each drawn with its marks and the points pressed on it. No query: the treated
    points come prefetched with their point."""
    marks = saved_marks(session)
    treated = [tp for tp in session.treated_points.all() if tp.point.has_picture]
    keys = list(dict.fromkeys(mark.view for mark in marks))
    if with_point_views:
        keys += [k for k in dict.fromkeys(tp.point.figure for tp in treated) if k not in keys]
    shown = []
    for key in keys:
        view = body_views()[key]
        on_view = [mark for mark in marks if mark.view == key]
        pressed = [tp for tp in treated if tp.point.figure == key]
        label = "; ".join(
            [
                *(f"pain: {mark.description}" for mark in on_view),
                *(f"pressed {tp.point.code} ({tp.side})" for tp in pressed),
            ]
        )
        svg, box = scoped_figure(
            key,
            prefix=f"s{session.pk}-{key}",
            css_class=css_class,
            label=f"{view.title}: {label}",
        )
        circles = "".join(pain_circle(box, mark) for mark in on_view)
        dots = "".join(
            marker_svg(*to_units(box, x, y), view.marker_units)
            for tp in pressed
            for x, y in pressed_places(view, tp)
        )
        shown.append(
            MarkedView(
                key=key,
                title=view.title,
                svg=mark_safe(svg + circles + dots + "</svg>"),
                marks=on_view,
                pressed=[f"{tp.point.code} ({tp.get_side_display().lower()})" for tp in pressed],
            )
        )
    return shown
