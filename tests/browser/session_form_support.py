"""What the session form's browser tests share: a client with a caution and a last session
of three points to repeat, and the page measures (sideways scroll, touch targets)."""

import datetime

from django.utils import timezone

from catalogue.models import Condition, Point
from sessions import cautions
from sessions import services as sessions
from sessions.rows import PointRow

from ..factories import ClientFactory

WIDTHS = [390, 820, 1280]
ST36_FIRM = "ST36 Pregnancy: light pressure only (lower leg)"


def pregnant_client_with_a_last_session(practitioner):
    """Pregnant (so rows have cautions); last seen for neck pain with LI4, ST36 pressed
    firmly on the right (a caution to acknowledge) and GV20."""
    client = ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])
    rows = [
        PointRow(point=Point.objects.get(code="LI4"), side="left", duration_seconds=120),
        PointRow(point=Point.objects.get(code="ST36"), side="right", pressure="firm"),
        PointRow(point=Point.objects.get(code="GV20"), duration_seconds=90),
    ]
    book = cautions.rule_book(client)
    sessions.record_session(
        client=client,
        practitioner=practitioner,
        started_at=timezone.now() - datetime.timedelta(days=7),
        pain_before=6,
        conditions=[Condition.objects.get(slug="neck-pain")],
        points=rows,
        acknowledged_cautions=cautions.needed_acknowledgements(cautions.row_warnings(book, rows)),
    )
    return client


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scroll)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


SMALL_TARGETS = """form => Array.from(form.querySelectorAll(
    "button, input:not([type=hidden]):not([type=checkbox]), select, textarea, .form-check-label"
  )).filter(el => el.offsetParent !== null && el.getBoundingClientRect().height < 44)
    .map(el => (el.name || el.id || el.textContent).trim().slice(0, 40))"""


def small_touch_targets(form) -> list[str]:
    """The visible controls of the form less than 44px tall."""
    return form.evaluate(SMALL_TARGETS)
