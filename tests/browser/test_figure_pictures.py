"""Each body view drawn by the browser with every point of the catalogue marked on it: a PNG
per view in the artefacts folder for a reviewer, and a check that the markers land on the
drawing where the catalogue puts them."""

import pytest

from catalogue.body_views import body_views
from catalogue.figures import marked_figure
from catalogue.models import Point

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("catalogue")]


@pytest.mark.parametrize("view", list(body_views()))
def test_each_view_with_all_its_markers_is_saved_for_a_reviewer(page, artifacts, view):
    points = Point.objects.active().filter(figure=view)
    places = [place for point in points for place in point.marker_places()]
    svg = marked_figure(view, places, label=f"{view}: every point")
    page.set_viewport_size({"width": 800, "height": 1000})
    page.set_content(f"<style>body{{margin:0}} svg{{width:800px;display:block}}</style>{svg}")
    markers = page.locator("g.point-marker")
    assert markers.count() == len(places) > 0
    drawing = page.locator("svg").bounding_box()
    for marker, (x, y) in zip(markers.all(), places, strict=True):
        box = marker.bounding_box()
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert centre[0] == pytest.approx(drawing["x"] + drawing["width"] * x / 100, abs=1.5)
        assert centre[1] == pytest.approx(drawing["y"] + drawing["height"] * y / 100, abs=1.5)
    page.locator("svg").screenshot(path=artifacts / f"figure-{view}.png")
