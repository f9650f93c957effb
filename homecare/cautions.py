"""What a client's health flags mean for their home-care sheet. The rules are applied by
the catalogue's rule engine (catalogue/cautioning.py); this module only reads its answers
for a sheet's items:

- the tool each item is pressed with: never one a rule rules out for the client (nor one
  they cannot use on themselves), and one a rule only warns about after the others;
- the points a rule says to avoid for this client, which never reach a sheet;
- the cautions the practitioner acknowledges with the sheet's single box;
- the client notes printed at each item and once in the "Take care" box, and the items
  that print "Light pressure only".
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from catalogue.caution_rules import ACTION_ORDER, PRESSURE_ORDER, Action, CautionRule, Scope
from catalogue.cautioning import EVERYONE, LOCATION_SCOPES, Finding, RuleBook
from catalogue.models import Point, PressureLevel, PressureTool
from clinic.models import Client
from sessions.cautions import CautionWarning, rule_book

from .rows import ItemRow, fallback_tools, first_fallback

# A client presses with "steady, comfortable pressure" (the sheet's standard advice).
HOME_PRESSURE = PressureLevel.MODERATE
ITEM_SCOPES = {*LOCATION_SCOPES, Scope.TOOL}


@dataclass(frozen=True)
class ItemCautions:
    """The rules met at one item: its point's location rules and its tool's rules."""

    index: int  # the item's place on the sheet
    point: Point
    side: str
    tool: PressureTool  # the tool the item is saved or printed with
    findings: tuple[Finding, ...]
    light_only: bool

    @property
    def avoided(self) -> tuple[Finding, ...]:
        """The rules that say to keep off this point (a tool a rule rules out is not the
        point's fault: it is replaced, or refused where the row chose it)."""
        return tuple(
            f
            for f in self.findings
            if f.rule.action == Action.AVOID and f.rule.scope in LOCATION_SCOPES
        )

    @property
    def client_notes(self) -> list[str]:
        return unique_notes(f.rule for f in self.findings)

    @property
    def warning(self) -> CautionWarning | None:
        """The cautions of the client's own flags, for the acknowledgement (the notes for
        every client are printed, not acknowledged)."""
        findings = tuple(f for f in self.findings if f.rule.flag.code != EVERYONE)
        if not findings:
            return None
        return CautionWarning(index=self.index, point=self.point, findings=findings)


def unique_notes(rules: Iterable[CautionRule]) -> list[str]:
    return list(dict.fromkeys(rule.client_note for rule in rules if rule.client_note))


def avoid_message(item: ItemCautions) -> str:
    flags = ", ".join(dict.fromkeys(f.rule.flag.label for f in item.avoided))
    return (
        f"{item.point.code} is to be avoided for this client ({flags}): "
        "it cannot go on a home-care sheet."
    )


def ruled_out_tool_message(tool: PressureTool, book: RuleBook) -> str:
    flags = ", ".join(
        dict.fromkeys(
            r.flag.label
            for r in book.rules
            if r.scope == Scope.TOOL and r.action == Action.AVOID and r.tool_id == tool.pk
        )
    )
    return f"The {tool.name.lower()} is ruled out for this client ({flags}): choose another tool."


class AvoidedOnSheet(ValidationError):
    """Items a rule refuses for this client, by field (`items`), and by row (`rows`: the
    row's index and its field errors) so a page can put each next to its row."""

    def __init__(self, rows: dict[int, dict[str, str]]):
        self.rows = rows
        messages = [message for errors in rows.values() for message in errors.values()]
        super().__init__({"items": messages})


class SheetCautions:
    """The rule book's answers for a sheet's items (`lines`: point, side and tool each)."""

    def __init__(
        self,
        book: RuleBook,
        lines: Sequence[tuple[Point, str, PressureTool]],
        chosen_tools: Sequence[PressureTool | None] = (),
    ):
        self.book = book
        self.chosen_tools = list(chosen_tools) or [None] * len(lines)  # tools rows asked for
        light_everywhere = book.light_only_everywhere()
        self.items = []
        for index, (point, side, tool) in enumerate(lines):
            met = book.for_row(point=point, side=side, tool=tool, pressure=HOME_PRESSURE)
            findings = tuple(f for f in met if f.rule.scope in ITEM_SCOPES)
            light = light_everywhere or any(f.rule.action == Action.LIGHT_ONLY for f in findings)
            self.items.append(ItemCautions(index, point, side, tool, findings, light))

    @classmethod
    def for_rows(
        cls, client: Client, rows: Sequence[ItemRow], book: RuleBook | None = None
    ) -> "SheetCautions":
        """For rows about to be saved: a row's own tool if it chose one (`refusals` says
        if a rule rules it out), else the point's default, or a fallback if that will not do."""
        book = book or rule_book(client)
        ruled_out = book.excluded_tools()
        fallback = fallback_tools(
            needed=any(row.needs_fallback_tool(ruled_out) for row in rows),
            ruled_out=ruled_out,
            noted=noted_tools(book),
        )
        tools = [row.tool_to_use(fallback, ruled_out) for row in rows]
        lines = [(row.point, row.side, tool) for row, tool in zip(rows, tools, strict=True)]
        return cls(book, lines, [row.tool for row in rows])

    @classmethod
    def for_items(cls, client: Client, items: Sequence, book: RuleBook | None = None):
        """For saved items: each its own tool, unless a rule has ruled it out since (the
        client's flags changed): then the first fallback."""
        book = book or rule_book(client)
        ruled_out = book.excluded_tools()
        fallback = fallback_tools(
            needed=any(item.tool_id in ruled_out for item in items),
            ruled_out=ruled_out,
            noted=noted_tools(book),
        )
        lines = []
        for item in items:
            tool = first_fallback(fallback) if item.tool_id in ruled_out else item.tool
            lines.append((item.point, item.side, tool))
        return cls(book, lines)

    # -- what the services enforce ---------------------------------------------------------
    def refusals(self) -> dict[int, dict[str, str]]:
        """By row: an avoided point, or a tool the row chose that a rule rules out."""
        ruled_out = self.book.excluded_tools()
        rows = {}
        for item, chosen in zip(self.items, self.chosen_tools, strict=True):
            errors = {}
            if item.avoided:
                errors["point"] = avoid_message(item)
            if chosen is not None and chosen.pk in ruled_out:
                errors["tool"] = ruled_out_tool_message(chosen, self.book)
            if errors:
                rows[item.index] = errors
        return rows

    def refuse_avoided(self) -> None:
        if refused := self.refusals():
            raise AvoidedOnSheet(refused)

    def kept(self) -> list[ItemCautions]:
        return [item for item in self.items if not item.avoided]

    def avoided(self) -> list[ItemCautions]:
        return [item for item in self.items if item.avoided]

    def warnings(self) -> list[CautionWarning]:
        """The kept items' cautions the practitioner acknowledges with the sheet."""
        return [item.warning for item in self.kept() if item.warning is not None]

    # -- what the sheet prints -------------------------------------------------------------
    def take_care(self) -> list[str]:
        """The client notes that hold wherever the client presses, once for the sheet."""
        rules = [rule for rule in self.book.whole_client() if self._prints_once(rule)]
        rules.sort(key=lambda rule: ACTION_ORDER.index(rule.action))
        return unique_notes(rules)

    def _prints_once(self, rule: CautionRule) -> bool:
        if rule.scope == Scope.TOOL:
            return rule.action == Action.AVOID  # "never use your elbow"; others at the item
        if rule.scope == Scope.PRESSURE and rule.action != Action.AVOID:
            return not self._pressure_ruled_out(rule.pressure)  # no "strong is OK" then
        return True

    def _pressure_ruled_out(self, pressure: str) -> bool:
        if self.book.light_only_everywhere():
            return True
        level = PRESSURE_ORDER[PressureLevel(pressure)]
        return any(
            r.scope == Scope.PRESSURE
            and r.action == Action.AVOID
            and PRESSURE_ORDER[PressureLevel(r.pressure)] <= level
            for r in self.book.rules
        )


def noted_tools(book: RuleBook) -> set[int]:
    """Tools a rule for the client's own flags warns about: a fallback after the others."""
    return {r.tool_id for r in book.rules if r.scope == Scope.TOOL and r.flag.code != EVERYONE}
