"""The regional views of the body that points are drawn on (catalogue/figures/<view>.svg).

Every view shows both sides of the body, mirrored about its vertical centre line: a bilateral
point is stored once, on the viewer's left half, and drawn on both; a midline point sits on the
centre line of a view that has the body's midline. The views, their titles and which side of
the client is on the viewer's left are data (data/figure_views.csv)."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "figure_views.csv"
VIEWBOX_WIDTH = 200
# About 2.1 mm across on a 42 mm wide picture; limb views shrink it to a fifth of the limb.
MARKER_UNITS = 10
# Midline points outside the GV and CV meridians.
MIDLINE_EXTRA_POINTS = {"EX-HN3"}
MIDLINE_BAND = 2  # percent of the view's width either side of its centre


@dataclass(frozen=True)
class BodyView:
    key: str
    title: str
    left_half: str  # which side of the client's body the viewer's left half shows
    limb_width: float | None  # narrowest drawn width of the limb where points sit
    midline: bool
    regions: frozenset

    @property
    def side_labels(self):
        """The labels over the viewer's left and right halves."""
        other = "left" if self.left_half == "right" else "right"
        return self.left_half.capitalize(), other.capitalize()

    @property
    def marker_units(self):
        if self.limb_width:
            return min(MARKER_UNITS, self.limb_width / 5)
        return MARKER_UNITS

    def side_at(self, x_percent):
        """The side of the client's body at x (percent across the view): within
        MIDLINE_BAND of the centre of a view that shows the midline, the midline (a limb
        view's centre is the gap between two limbs, so always a side)."""
        if self.midline and abs(x_percent - 50) <= MIDLINE_BAND:
            return "midline"
        return self.side_labels[0 if x_percent < 50 else 1].lower()


@cache
def body_views():
    with open(DATA, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["view"]: BodyView(
            key=row["view"],
            title=row["title"],
            left_half=row["left_half"],
            limb_width=float(row["limb_width"]) if row["limb_width"] else None,
            midline=row["midline"] == "yes",
            regions=frozenset(row["regions"].split()),
        )
        for row in rows
    }


def view_choices():
    return [(view.key, view.title) for view in body_views().values()]


def is_bilateral(code):
    """Points of the twelve paired meridians and the paired extra points: from the WHO code."""
    return not code.startswith(("GV", "CV")) and code not in MIDLINE_EXTRA_POINTS


def marker_places(x, y, *, bilateral):
    """Where the markers go, in percent: both sides for a bilateral point."""
    x, y = float(x), float(y)
    if bilateral and x != 50:
        return [(x, y), (100 - x, y)]
    return [(x, y)]
