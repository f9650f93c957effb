"""The rule book for a treated-point row: one dataclass, one message per rule.

A `PointRow` that exists has passed every rule, so the session services take rows and
never check them again. Forms and serializers only turn input into rows and put a rule's
`ValidationError` (keyed by field) next to the field it is about.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from catalogue.models import Point, PressureTool

from .models import MAX_POINT_SECONDS, HoldEnded, Pressure, Side

DURATION_NOT_POSITIVE = "The duration must be more than zero."
DURATION_TOO_LONG = "No more than 30 minutes (1800 seconds) on one point."
NO_DEFAULT_TOOL = "{code} has no default tool: choose one."
DEFAULT_TOOL_RETIRED = "{code}'s default tool, {tool}, is retired: choose one."
HELD_NOT_POSITIVE = "The time held must be more than zero."
HELD_TOO_LONG = "No hold longer than 30 minutes (1800 seconds) on one point."
HELD_WITHOUT_ENDING = "Say how the hold ended: relief, time up or too tender."
ENDING_WITHOUT_HELD = "Give the seconds held, or leave how the hold ended blank."
UNKNOWN_ENDING = "A hold ends in relief, time up or too tender."


def check_duration(seconds: int | None) -> None:
    """Seconds on one point: left out means the point's default."""
    if seconds is None:
        return
    if seconds < 1:
        raise ValidationError({"duration_seconds": DURATION_NOT_POSITIVE})
    if seconds > MAX_POINT_SECONDS:
        raise ValidationError({"duration_seconds": DURATION_TOO_LONG})


def check_hold(held_seconds: int | None, hold_ended: str) -> None:
    """A timed hold has both its seconds and how it ended; an untimed one has neither."""
    if hold_ended and hold_ended not in HoldEnded.values:
        raise ValidationError({"hold_ended": UNKNOWN_ENDING})
    if held_seconds is None:
        if hold_ended:
            raise ValidationError({"held_seconds": ENDING_WITHOUT_HELD})
        return
    if held_seconds < 1:
        raise ValidationError({"held_seconds": HELD_NOT_POSITIVE})
    if held_seconds > MAX_POINT_SECONDS:
        raise ValidationError({"held_seconds": HELD_TOO_LONG})
    if not hold_ended:
        raise ValidationError({"hold_ended": HELD_WITHOUT_ENDING})


# A row's fields, in the order the form and the API give them.
ROW_FIELDS = [
    "point",
    "side",
    "tool",
    "duration_seconds",
    "pressure",
    "response",
    "held_seconds",
    "hold_ended",
]


@dataclass(frozen=True, kw_only=True)
class PointRow:
    """A point pressed in a session. Left out, the tool and duration are the point's
    defaults (`tool_to_use`, `seconds_to_use`)."""

    point: Point
    side: str = Side.BOTH
    tool: PressureTool | None = None
    duration_seconds: int | None = None
    pressure: str = Pressure.MODERATE
    response: str = ""
    held_seconds: int | None = None  # the hold timer's, with how it ended, or neither
    hold_ended: str = ""

    def __post_init__(self):
        check_duration(self.duration_seconds)
        check_hold(self.held_seconds, self.hold_ended)
        if self.tool is None and self.point.default_tool_id is None:
            raise ValidationError({"tool": NO_DEFAULT_TOOL.format(code=self.point.code)})
        if self.tool is None and not self.point.default_tool.is_active:
            tool = self.point.default_tool.name
            raise ValidationError(
                {"tool": DEFAULT_TOOL_RETIRED.format(code=self.point.code, tool=tool)}
            )

    @property
    def tool_to_use(self) -> PressureTool:
        return self.tool or self.point.default_tool

    @property
    def seconds_to_use(self) -> int:
        return self.duration_seconds or self.point.default_duration_seconds

    def saved_values(self) -> dict:
        """The values a TreatedPoint is saved with."""
        return {
            "point": self.point,
            "side": self.side,
            "tool": self.tool_to_use,
            "duration_seconds": self.seconds_to_use,
            "pressure": self.pressure,
            "response": self.response,
            "held_seconds": self.held_seconds,
            "hold_ended": self.hold_ended,
        }

    @classmethod
    def of(cls, treated) -> "PointRow":
        """The row of a saved TreatedPoint, to keep it as it is."""
        return cls(
            point=treated.point,
            side=treated.side,
            tool=treated.tool,
            duration_seconds=treated.duration_seconds,
            pressure=treated.pressure,
            response=treated.response,
            held_seconds=treated.held_seconds,
            hold_ended=treated.hold_ended,
        )


def replace_rows(related, values: list[dict]) -> None:
    """Give a draft record these rows (saved values), in order. Unchanged rows are left
    alone, so the history only records real edits."""
    names = list(values[0]) if values else []
    saved = related.order_by("position", "pk")
    current = [{name: getattr(obj, name) for name in names} for obj in saved]
    if current == values:
        return
    related.all().delete()
    for position, row in enumerate(values):
        related.create(position=position, **row)
