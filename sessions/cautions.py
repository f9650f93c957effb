"""Where a client's health flags meet a point's cautions: the warnings shown beside a row,
and the acknowledgement a record needs before it is saved, signed or issued."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from catalogue.models import Point
from clinic.models import Client


@dataclass(frozen=True)
class CautionWarning:
    index: int  # the row's place in the record
    point: Point
    flags: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.point.code}: {', '.join(self.flags)}"


class RefusedWithWarnings(ValidationError):
    """A refused write that carries its rows' caution warnings, so a page can mark the
    rows without working them out again."""

    def __init__(self, errors: dict, warnings: list[CautionWarning]):
        self.warnings = warnings
        super().__init__(errors)


def caution_warnings(client: Client, points: Sequence[Point]) -> list[CautionWarning]:
    """The points (by place) whose cautions match one of the client's health flags."""
    client_flags = set(client.health_flags)
    warnings = []
    for index, point in enumerate(points):
        cautions = [c for c in point.point_cautions.all() if c.flag in client_flags]
        if cautions:
            warnings.append(
                CautionWarning(
                    index=index,
                    point=point,
                    flags=tuple(c.get_flag_display() for c in cautions),
                    notes=tuple(c.note for c in cautions),
                )
            )
    return warnings


def unacknowledged(warnings: list[CautionWarning], acknowledged: bool) -> dict:
    """The error for cautions the practitioner has not ticked, if any."""
    if not warnings or acknowledged:
        return {}
    labels = "; ".join(w.label for w in warnings)
    return {
        "caution_acknowledged": (
            f"Some points carry cautions for this client ({labels}). "
            "Tick the acknowledgement to save."
        )
    }


def refuse_unacknowledged(
    client: Client, points: Sequence[Point], acknowledged: list[str], *, action: str
) -> None:
    """The client's flags may have changed since the record was saved: a caution that
    matches them today must have been acknowledged."""
    missing = [w.label for w in caution_warnings(client, points) if w.label not in acknowledged]
    if missing:
        raise ValidationError(
            {
                "caution_acknowledged": (
                    f"The client's health flags changed: {'; '.join(missing)} "
                    f"must be acknowledged (edit and save again) before you {action}."
                )
            }
        )
