"""How much of the catalogue is described and pictured: the figures docs/catalogue.md states
(`python manage.py catalogue_coverage` prints them; a test keeps the document in step)."""

from collections import Counter

from .body_views import body_views
from .models import Indication, NotSelfCareReason, Point, SelfCareWay


def coverage_lines() -> list[str]:
    points = list(Point.objects.active().select_related("default_tool"))
    total = len(points)

    def count(test):
        return sum(1 for point in points if test(point))

    self_care = [p for p in points if p.self_care]
    ways = Counter(p.self_care_with for p in self_care)
    reasons = Counter(p.not_self_care_reason for p in points if not p.self_care)
    views = Counter(p.figure for p in points if p.has_picture)
    cited = set(Indication.objects.values_list("point_id", flat=True))
    lines = [
        "| what | points |",
        "|---|---|",
        f"| in the catalogue | {total} |",
        f"| with an English name | {count(lambda p: p.english_name)} |",
        f"| with a body region | {count(lambda p: p.region)} |",
        f"| with a location for practitioners | {count(lambda p: p.location)} |",
        f"| placed on a body view | {count(lambda p: p.has_picture)} |",
        f"| drawn on both sides (bilateral) | {count(lambda p: p.bilateral)} |",
        f"| drawn on the midline | {count(lambda p: not p.bilateral)} |",
        f"| for self-care, with our own self-care text | {len(self_care)} |",
    ]
    lines += [f"| for self-care: {way.label.lower()} | {ways[way.value]} |" for way in SelfCareWay]
    lines += [
        f"| not for self-care: {reason.label.lower()} | {reasons[reason.value]} |"
        for reason in NotSelfCareReason
    ]
    lines += [
        f"| default hold other than three minutes | "
        f"{count(lambda p: p.default_duration_seconds != 180)} |",
        f"| cited for a condition | {len(cited)} |",
        f"| cited for a condition and for self-care | "
        f"{count(lambda p: p.pk in cited and p.self_care)} |",
    ]
    lines += ["", "| body view | points |", "|---|---|"]
    lines += [f"| {view.title} | {views[key]} |" for key, view in body_views().items()]
    return lines
