"""The rule book for a home-care item: one dataclass, one message per rule.

An `ItemRow` that exists has passed every rule, so the sheet services take rows and never
check them again. Forms and serializers only turn input into rows and put a rule's
`ValidationError` (keyed by field) next to the field it is about.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from catalogue.models import Point, PressureTool
from sessions.models import Side
from sessions.rows import check_duration

SELF_CARE_TOOL = "Choose a tool the client can use on themselves."
TIMES_PER_DAY_TOO_FEW = "At least once a day."
TIMES_PER_DAY_TOO_MANY = "No more than 10 times a day."
NO_INSTRUCTIONS = "Your practitioner will show you how to find and press this point."
FALLBACK_SELF_TOOLS = ["knuckle", "thumb", "fingertip"]


def not_for_self_care(point: Point) -> str:
    reason = point.get_not_self_care_reason_display().lower()
    why = f" ({reason})" if reason else ""
    return f"{point.code} is not for self-care{why}: a client cannot press it at home."


@dataclass(frozen=True, kw_only=True)
class ItemRow:
    """A point the client presses at home. Left out, the tool, duration and instructions
    come from the catalogue (`saved_values`)."""

    point: Point
    side: str = Side.BOTH
    tool: PressureTool | None = None
    duration_seconds: int | None = None
    times_per_day: int = 2
    instructions: str = ""

    def __post_init__(self):
        if not self.point.self_care:
            raise ValidationError({"point": not_for_self_care(self.point)})
        # A midline point has no left or right, and a paired point no midline: the side
        # printed and the markers drawn follow the point.
        if not self.point.bilateral:
            object.__setattr__(self, "side", Side.MIDLINE)
        elif self.side == Side.MIDLINE:
            object.__setattr__(self, "side", Side.BOTH)
        if self.tool is not None and not self.tool.self_applicable:
            raise ValidationError({"tool": SELF_CARE_TOOL})
        check_duration(self.duration_seconds)
        if self.times_per_day < 1:
            raise ValidationError({"times_per_day": TIMES_PER_DAY_TOO_FEW})
        if self.times_per_day > 10:
            raise ValidationError({"times_per_day": TIMES_PER_DAY_TOO_MANY})

    def saved_values(self, tool: PressureTool) -> dict:
        """The values a HomeCareItem is saved with, with the tool `tool_to_use` chose."""
        return {
            "point": self.point,
            "tool": tool,
            "duration_seconds": self.duration_seconds or self.point.default_duration_seconds,
            "times_per_day": self.times_per_day,
            "side": self.side,
            "instructions": self.instructions.strip()
            or self.point.self_care_instructions
            or NO_INSTRUCTIONS,
        }

    def needs_fallback_tool(self, ruled_out: Collection[int] = ()) -> bool:
        """Whether the row leaves the tool to the catalogue and the point's default will not
        do: a client cannot use it on themselves, it is retired, or a caution rule rules it
        out for this client (`ruled_out`, tool ids)."""
        return self.tool is None and not usable_at_home(self.point.default_tool, ruled_out)

    def tool_to_use(
        self, fallback_tools: dict[str, PressureTool], ruled_out: Collection[int] = ()
    ) -> PressureTool:
        if not self.needs_fallback_tool(ruled_out):
            return self.tool or self.point.default_tool
        return first_fallback(fallback_tools)

    @classmethod
    def of(cls, item) -> "ItemRow":
        """The row of a saved HomeCareItem, to keep it as it is."""
        return cls(
            point=item.point,
            side=item.side,
            tool=item.tool,
            duration_seconds=item.duration_seconds,
            times_per_day=item.times_per_day,
            instructions=item.instructions,
        )


def usable_at_home(tool: PressureTool | None, ruled_out: Collection[int] = ()) -> bool:
    return tool is not None and tool.self_applicable and tool.is_active and tool.pk not in ruled_out


def first_fallback(fallback_tools: dict[str, PressureTool]) -> PressureTool:
    if not fallback_tools:
        raise ValidationError({"tool": SELF_CARE_TOOL})
    return next(iter(fallback_tools.values()))


def fallback_tools(
    *, needed: bool, ruled_out: Collection[int] = (), noted: Collection[int] = ()
) -> dict[str, PressureTool]:
    """The tools to fall back on, by slug, best first, read only when `needed`: never one
    a caution rule rules out for this client (`ruled_out`, tool ids), and one a rule only
    warns about (`noted`) after the others."""
    if not needed:
        return {}
    tools = PressureTool.objects.filter(slug__in=FALLBACK_SELF_TOOLS, is_active=True)
    by_slug = {t.slug: t for t in tools if t.pk not in ruled_out}
    ordered = [by_slug[slug] for slug in FALLBACK_SELF_TOOLS if slug in by_slug]
    ordered.sort(key=lambda tool: tool.pk in noted)  # stable: the list's order otherwise
    return {tool.slug: tool for tool in ordered}
