"""The point pictures on the printed home-care sheet."""

from dataclasses import dataclass

from django import template

from catalogue.figures import print_picture

register = template.Library()

# The picture box, in mm: the picture fits inside it, 3 mm in from the item's border.
PICTURE_BOX = {False: (42, 50), True: (60, 60)}
INSET_MM = 3
MARKER_MM = 5


@dataclass(frozen=True)
class SheetPicture:
    picture: object  # catalogue.figures.PrintPicture
    large_print: bool

    @property
    def space_style(self):
        """Room kept for the picture: beside the text, or above it in large print."""
        if self.large_print:
            return f"padding-top: {self.picture.height_mm + 2 * INSET_MM:.1f}mm"
        return f"min-height: {self.picture.height_mm:.1f}mm"

    @property
    def box_style(self):
        return f"width: {self.picture.width_mm:.1f}mm; height: {self.picture.height_mm:.1f}mm"

    @property
    def background_style(self):
        """The figure and its marker as the item's background, for WeasyPrint: painted,
        not laid out, and the figure's JPEG is copied into the PDF as it is."""
        p = self.picture
        marker_x = INSET_MM + p.width_mm * p.x_percent / 100 - MARKER_MM / 2
        marker_y = INSET_MM + p.height_mm * p.y_percent / 100 - MARKER_MM / 2
        return (
            f"background-image: url(figures/marker.svg), url({p.path}); "
            f"background-position: {marker_x:.1f}mm {marker_y:.1f}mm, {INSET_MM}mm {INSET_MM}mm; "
            f"background-size: {MARKER_MM}mm {MARKER_MM}mm, {p.width_mm:.1f}mm {p.height_mm:.1f}mm"
        )


@register.simple_tag
def sheet_picture(point, large_print=False):
    picture = print_picture(point, *PICTURE_BOX[bool(large_print)])
    return SheetPicture(picture, bool(large_print)) if picture else None
