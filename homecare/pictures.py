"""The point pictures on the printed home-care sheet, the same in the PDF and the print page.

Each item's background is its figure (a JPEG, which WeasyPrint copies into the PDF as it is)
with the marker over it: painted, not laid out, which keeps WeasyPrint fast. What is the
same for every sheet (which JPEG, how large) is in `figure_stylesheet`, parsed once per
thread for the PDF; only the marker's place and the room for the picture are on each item.
"""

from dataclasses import dataclass

from catalogue.figures import fitted_size_mm, print_figure_path
from catalogue.models import Figure

# The picture box in mm (width, height): beside the text, or above it in large print.
PICTURE_BOX = {False: (42, 50), True: (60, 60)}
INSET_MM = 3  # from the item's border
MARKER_MM = 5


@dataclass(frozen=True)
class SheetPicture:
    figure: str
    x_percent: float
    y_percent: float
    large_print: bool
    label: str = ""

    @classmethod
    def for_point(cls, point, large_print=False):
        if not point.has_picture:
            return None
        label = f"{point.code} marked on the {point.get_figure_display().lower()} figure"
        return cls(
            point.figure, float(point.figure_x), float(point.figure_y), bool(large_print), label
        )

    @property
    def size_mm(self):
        return fitted_size_mm(self.figure, *PICTURE_BOX[self.large_print])

    @property
    def css_class(self):
        return f"figure-{self.figure}"

    @property
    def style(self):
        """Room for the picture, and the marker's place over it (for the PDF)."""
        width, height = self.size_mm
        marker_x = INSET_MM + width * self.x_percent / 100 - MARKER_MM / 2
        marker_y = INSET_MM + height * self.y_percent / 100 - MARKER_MM / 2
        room = (
            f"padding-top: {height + 2 * INSET_MM:.1f}mm"
            if self.large_print
            else f"min-height: {height:.1f}mm"
        )
        marker = f"{marker_x:.1f}mm {marker_y:.1f}mm"
        return f"{room}; background-position: {marker}, {INSET_MM}mm {INSET_MM}mm"


def figure_stylesheet(url=str):
    """`url` turns a static path into the URL the page uses: the path itself for WeasyPrint
    (its base URL is the static folder), `static()` for the browser."""
    rules = []
    for figure in Figure.values:
        images = f'url("{url("figures/marker.svg")}"), url("{url(print_figure_path(figure))}")'
        normal, large = (fitted_size_mm(figure, *PICTURE_BOX[large]) for large in (False, True))
        rules += [
            f".figure-{figure} {{ background-image: {images}; "
            f"background-size: {MARKER_MM}mm {MARKER_MM}mm, {normal[0]}mm {normal[1]}mm; }}",
            f".large-print .figure-{figure} {{ "
            f"background-size: {MARKER_MM}mm {MARKER_MM}mm, {large[0]}mm {large[1]}mm; }}",
        ]
    return "\n".join(rules)
