"""Where a client's health flags meet a record's rows: the cautions shown beside each row,
and the acknowledgements a record needs before it is saved, signed or issued. The rules
themselves are applied by the catalogue's rule engine (catalogue/cautioning.py)."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from catalogue.cautioning import Finding, RuleBook
from catalogue.models import Point
from clinic.models import Client


@dataclass(frozen=True)
class CautionWarning:
    index: int  # the row's place in the record
    point: Point
    findings: tuple[Finding, ...]

    @property
    def needed(self) -> list[str]:
        """The labels this row needs acknowledged."""
        return [f.label for f in self.findings if f.breached]

    @property
    def label(self) -> str:
        flags = dict.fromkeys(f.rule.flag.label for f in self.findings)
        return f"{self.point.code}: {', '.join(flags)}"

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.rule.flag.label for f in self.findings))

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(f.rule.practitioner_note for f in self.findings)


class RefusedWithWarnings(ValidationError):
    """A refused write that carries its rows' caution warnings, so a page can mark the
    rows without working them out again."""

    def __init__(self, errors: dict, warnings: list[CautionWarning]):
        self.warnings = warnings
        super().__init__(errors)


def rule_book(client: Client, *, on=None, found_today: Collection[str] = ()) -> RuleBook:
    return RuleBook(client.flag_profile(on=on, found_today=found_today))


def row_warnings(book: RuleBook, rows: Sequence) -> list[CautionWarning]:
    """Each session row's cautions for its point, side, tool and pressure (rows are
    `PointRow`s or saved `TreatedPoint`s)."""
    warnings = []
    for index, row in enumerate(rows):
        if row is None:  # a row the page shows that is not valid yet
            continue
        tool = row.tool_to_use if hasattr(row, "tool_to_use") else row.tool
        findings = book.for_row(point=row.point, side=row.side, tool=tool, pressure=row.pressure)
        if findings:
            warnings.append(CautionWarning(index=index, point=row.point, findings=tuple(findings)))
    return warnings


def needed_acknowledgements(warnings: Sequence[CautionWarning]) -> list[str]:
    return list(dict.fromkeys(label for w in warnings for label in w.needed))


def unacknowledged(warnings: Sequence[CautionWarning], acknowledged: Collection[str]) -> dict:
    """The error for cautions the practitioner has not acknowledged, if any."""
    missing = [label for label in needed_acknowledgements(warnings) if label not in acknowledged]
    if not missing:
        return {}
    return {
        "acknowledged_cautions": (
            f"Acknowledge each caution to save, or change the row: {'; '.join(missing)}."
        )
    }


def refuse_unacknowledged(
    warnings: Sequence[CautionWarning], acknowledged: Collection[str], *, action: str
) -> None:
    """The client's flags may have changed since the record was saved: a caution that
    applies today must have been acknowledged."""
    missing = [label for label in needed_acknowledgements(warnings) if label not in acknowledged]
    if missing:
        raise ValidationError(
            {
                "acknowledged_cautions": (
                    f"The client's health flags changed: {'; '.join(missing)} "
                    f"must be acknowledged (edit and save again) before you {action}."
                )
            }
        )
