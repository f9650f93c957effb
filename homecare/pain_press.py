"""The sheet's "Pain here, press there" figure: where the session's pain was marked, beside
the views of the points the sheet has the client press, joined by lines.

One SVG in mm, drawn from the session's pain marks and the sheet's items (no query: the
sheet comes with its session, the items with their points). Only presentation attributes,
no style: the print page is under the Content-Security-Policy, and WeasyPrint draws it as
it is (no layout work beyond one replaced box)."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from catalogue.body_views import body_views
from catalogue.figures import labelled_figure, with_ids_prefixed
from sessions.body_figure import pressed_places
from sessions.pain_marks import saved_marks

PAIN_WIDTH_MM = 50
POINT_WIDTH_MM = 36
GAP_MM = 14
POINT_GAP_MM = 3
MAX_POINT_VIEWS = 3
LABEL_MM = 6  # the band above the views, for "Pain here" and "Press here"


@dataclass(frozen=True)
class Panel:
    view: str
    x: float  # mm from the figure's left
    width: float
    scale: float  # mm per view unit
    box: tuple

    @property
    def height(self):
        return self.box[3] * self.scale

    def at(self, x_percent, y_percent):
        """A place given in percent of the view, in the figure's mm."""
        return (
            self.x + self.width * float(x_percent) / 100,
            LABEL_MM + self.height * float(y_percent) / 100,
        )

    def drawing(self, prefix):
        """The view as a nested SVG: scaled into its panel, and clipped to it."""
        body, _ = labelled_figure(self.view)
        body = with_ids_prefixed(body, prefix)
        place = (
            f'<svg x="{self.x:.2f}" y="{LABEL_MM}" width="{self.width:.2f}" '
            f'height="{self.height:.2f}" '
        )
        return (
            body.replace("<svg ", place, 1) + "</svg>"
            f'<rect x="{self.x:.2f}" y="{LABEL_MM}" width="{self.width:.2f}" '
            f'height="{self.height:.2f}" fill="none" stroke="#555" stroke-width="0.3"/>'
        )


def panel(view_key, x, width):
    _, box = labelled_figure(view_key)
    return Panel(view_key, x, width, width / box[2], box)


@dataclass(frozen=True)
class PainPressFigure:
    svg: str
    pain: list[str]  # "Lower back, sacrum and buttocks, left, intensity 7"
    press: list[str]  # "BL23 Shenshu (left)"


def _text(x, y, words, *, anchor="start", bold=True):
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" font-size="3.6" text-anchor="{anchor}"{weight} '
        f'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif" fill="#000">'
        f"{escape(words)}</text>"
    )


def _arrow(start, end):
    """A line from the pain to the point, with a small head at the point."""
    (x1, y1), (x2, y2) = start, end
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 0.01)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    tip_x, tip_y = x2 - ux * 1.6, y2 - uy * 1.6  # stops short of the marker
    base_x, base_y = tip_x - ux * 2.4, tip_y - uy * 2.4
    left = (base_x - uy * 1.2, base_y + ux * 1.2)
    right = (base_x + uy * 1.2, base_y - ux * 1.2)
    return (
        f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{base_x:.2f}" y2="{base_y:.2f}" '
        f'stroke="#000" stroke-width="0.5" stroke-dasharray="1.5 0.8"/>'
        f'<polygon points="{tip_x:.2f},{tip_y:.2f} {left[0]:.2f},{left[1]:.2f} '
        f'{right[0]:.2f},{right[1]:.2f}" fill="#000"/>'
    )


def pain_press_figure(sheet, items) -> PainPressFigure | None:
    """None unless the sheet was made from a session with pain marks and has a pictured
    point. The pain's view is the one with the most intense mark."""
    session = sheet.session if sheet.session_id else None
    marks = saved_marks(session) if session is not None else []
    pictured = [item for item in items if item.point.has_picture]
    if not marks or not pictured:
        return None
    worst = max(marks, key=lambda mark: mark.intensity)
    on_view = [mark for mark in marks if mark.view == worst.view]
    pain = panel(worst.view, 0, PAIN_WIDTH_MM)
    panels, x = {}, PAIN_WIDTH_MM + GAP_MM
    for item in pictured:
        if item.point.figure not in panels and len(panels) < MAX_POINT_VIEWS:
            panels[item.point.figure] = panel(item.point.figure, x, POINT_WIDTH_MM)
            x += POINT_WIDTH_MM + POINT_GAP_MM
    pressed = [item for item in pictured if item.point.figure in panels]
    width = x - POINT_GAP_MM
    height = LABEL_MM + max(p.height for p in [pain, *panels.values()]) + 1
    parts = [pain.drawing(f"pp{sheet.pk}-pain")]
    for mark in on_view:
        cx, cy = pain.at(mark.x, mark.y)
        parts.append(
            f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{pain.width * mark.radius / 100:.2f}" '
            f'fill="#888" fill-opacity="0.45" stroke="#000" stroke-width="0.5"/>'
        )
    parts.append(_text(pain.width / 2, 4.2, "Pain here", anchor="middle"))
    for key, point_panel in panels.items():
        parts.append(point_panel.drawing(f"pp{sheet.pk}-{key}"))
    press_x = PAIN_WIDTH_MM + GAP_MM + (width - PAIN_WIDTH_MM - GAP_MM) / 2
    parts.append(_text(press_x, 4.2, "Press here", anchor="middle"))
    start = pain.at(worst.x, worst.y)
    for item in pressed:
        point_panel = panels[item.point.figure]
        view = body_views()[item.point.figure]
        places = [point_panel.at(px, py) for px, py in pressed_places(view, item)]
        radius = view.marker_units * point_panel.scale / 2
        for cx, cy in places:
            parts.append(
                f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{radius:.2f}" fill="#000" '
                f'stroke="#fff" stroke-width="0.3"/>'
            )
        parts.append(_arrow(start, places[0]))
    label = f"Pain here: {worst.description}. Press here: " + ", ".join(
        item.point.code for item in pressed
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pain-press-figure" role="img" '
        f'aria-label="{escape(label)}" width="{width:.1f}mm" height="{height:.1f}mm" '
        f'viewBox="0 0 {width:.2f} {height:.2f}">{"".join(parts)}</svg>'
    )
    return PainPressFigure(
        svg=mark_safe(svg),
        pain=[mark.description for mark in on_view],
        press=[
            f"{item.point.code} {item.point.pinyin} ({item.get_side_display().lower()})"
            for item in pressed
        ],
    )
