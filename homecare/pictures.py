"""The point pictures on the printed home-care sheet, the same in the PDF and the print page.

Each item's background is its regional view (a JPEG, which WeasyPrint copies into the PDF as
it is) with the markers over it: painted, not laid out, which keeps WeasyPrint fast. What is
the same for every sheet (which JPEG, how large, how large a marker) is in
`figure_stylesheet`, parsed once per thread for the PDF; only the markers' places and the
room for the picture are on each item. An item for both sides gets a marker on each side.
"""

from dataclasses import dataclass

from catalogue.body_views import body_views, marker_places
from catalogue.figures import fitted_size_mm, load_figure, print_figure_path

# The picture box in mm (width, height): beside the text, or above it in large print.
PICTURE_BOX = {False: (42, 50), True: (60, 60)}
INSET_MM = 3  # from the item's border


def mm_per_unit(figure, large_print):
    _, (_, _, width, _) = load_figure(figure)
    return fitted_size_mm(figure, *PICTURE_BOX[large_print])[0] / width


def marker_mm(figure, large_print):
    return round(body_views()[figure].marker_units * mm_per_unit(figure, large_print), 2)


@dataclass(frozen=True)
class SheetPicture:
    figure: str
    places: tuple  # ((x, y), ...) in percent of the view
    large_print: bool
    label: str = ""

    @classmethod
    def for_item(cls, item, large_print=False):
        point = item.point
        if not point.has_picture or point.body_view is None:
            return None
        places = marker_places(point.figure_x, point.figure_y, bilateral=point.bilateral)
        if len(places) == 2 and item.side in ("left", "right"):
            view = point.body_view
            places = [place for place in places if view.side_at(place[0]) == item.side]
        sides = {
            2: "both sides",
            1: f"the {item.side} side" if item.side in ("left", "right") else "the midline",
        }[len(places)]
        label = f"{point.code} marked on {sides}: {point.body_view.title.lower()}"
        return cls(point.figure, tuple(places), bool(large_print), label)

    @property
    def size_mm(self):
        return fitted_size_mm(self.figure, *PICTURE_BOX[self.large_print])

    @property
    def css_class(self):
        return f"figure-{self.figure} markers-{len(self.places)}"

    def marker_centres_mm(self):
        """Each marker's centre from the item's top left corner, in mm."""
        width, height = self.size_mm
        return [(INSET_MM + width * x / 100, INSET_MM + height * y / 100) for x, y in self.places]

    @property
    def style(self):
        """Room for the picture, and the markers' places over it (for the PDF)."""
        width, height = self.size_mm
        half = marker_mm(self.figure, self.large_print) / 2
        room = (
            f"padding-top: {height + 2 * INSET_MM:.1f}mm"
            if self.large_print
            else f"min-height: {height:.1f}mm"
        )
        markers = ", ".join(
            f"{x - half:.2f}mm {y - half:.2f}mm" for x, y in self.marker_centres_mm()
        )
        return f"{room}; background-position: {markers}, {INSET_MM}mm {INSET_MM}mm"


def figure_stylesheet(url=str):
    """`url` turns a static path into the URL the page uses: the path itself for WeasyPrint
    (its base URL is the static folder), `static()` for the browser."""
    marker = f'url("{url("figures/marker.png")}")'
    rules = []
    for figure in body_views():
        picture = f'url("{url(print_figure_path(figure))}")'
        for large in (False, True):
            size = fitted_size_mm(figure, *PICTURE_BOX[large])
            dot = marker_mm(figure, large)
            scope = ".large-print " if large else ""
            for count in (1, 2):
                images = ", ".join([marker] * count + [picture])
                sizes = ", ".join([f"{dot}mm {dot}mm"] * count + [f"{size[0]}mm {size[1]}mm"])
                rules.append(
                    f"{scope}.figure-{figure}.markers-{count} {{ "
                    f"background-image: {images}; background-size: {sizes}; }}"
                )
    return "\n".join(rules)
