"""The rule book for the pain marks of a session: where it hurts, on the body views.

A mark is data, not a picture: a view, a place in percent of the view, a size and an
intensity. `pain_marks_from` turns what the form or the API sent into `PainMark`s or raises
one ValidationError under "pain_marks", with one message per broken rule.
"""

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError

from catalogue.body_views import body_views

MAX_MARKS = 30
# Radius in percent of the view's width.
SIZES = {4: "small", 7: "medium", 11: "large"}
DEFAULT_SIZE = 7
DEFAULT_INTENSITY = 5

NOT_A_LIST = "Pain marks must be a list of marks."
TOO_MANY = f"At most {MAX_MARKS} pain marks on one session."
NOT_A_MARK = "Mark {n} must give view, x, y, radius and intensity."
UNKNOWN_VIEW = "Mark {n}: there is no body view “{view}”."
OFF_THE_VIEW = "Mark {n}: x and y are percent of the view, from 0 to 100."
BAD_INTENSITY = "Mark {n}: the intensity is a whole number from 1 to 10."
BAD_RADIUS = "Mark {n}: the size is small (4), medium (7) or large (11)."
FIELDS = ("view", "x", "y", "radius", "intensity")


def _number(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError
    return value


@dataclass(frozen=True, kw_only=True)
class PainMark:
    view: str
    x: float
    y: float
    radius: int = DEFAULT_SIZE
    intensity: int = DEFAULT_INTENSITY

    @property
    def body_view(self):
        return body_views()[self.view]

    @property
    def side(self) -> str:
        return self.body_view.side_at(self.x)

    @property
    def size_label(self) -> str:
        return SIZES[self.radius]

    @property
    def description(self) -> str:
        """ "Lower back, sacrum and buttocks, left, intensity 7"."""
        return f"{self.body_view.title}, {self.side}, intensity {self.intensity}"

    def as_dict(self) -> dict:
        return asdict(self)


def _mark(n: int, raw) -> PainMark:
    if not isinstance(raw, dict) or set(raw) != set(FIELDS):
        raise ValidationError(NOT_A_MARK.format(n=n))
    view = raw["view"]
    if not isinstance(view, str) or view not in body_views():
        # Quoted back only when it is plain text: never a NUL or markup into the page.
        shown = view[:40] if isinstance(view, str) and view.isprintable() else "?"
        raise ValidationError(UNKNOWN_VIEW.format(n=n, view=shown))
    try:
        x, y = float(_number(raw["x"])), float(_number(raw["y"]))
    except (TypeError, OverflowError):  # OverflowError: an integer of 400 digits
        raise ValidationError(OFF_THE_VIEW.format(n=n)) from None
    if not (0 <= x <= 100 and 0 <= y <= 100):
        raise ValidationError(OFF_THE_VIEW.format(n=n))
    intensity = raw["intensity"]
    if isinstance(intensity, bool) or not isinstance(intensity, int) or not 1 <= intensity <= 10:
        raise ValidationError(BAD_INTENSITY.format(n=n))
    radius = raw["radius"]
    if isinstance(radius, bool) or not isinstance(radius, int | float) or radius not in SIZES:
        raise ValidationError(BAD_RADIUS.format(n=n))
    return PainMark(
        view=view, x=round(x, 1), y=round(y, 1), radius=int(radius), intensity=intensity
    )


def pain_marks_from(data) -> list[PainMark]:
    """The marks in `data` (a list of dicts, as JSON gives it); nothing (None) is none."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise ValidationError({"pain_marks": NOT_A_LIST})
    if len(data) > MAX_MARKS:
        raise ValidationError({"pain_marks": TOO_MANY})
    marks, problems = [], []
    for n, raw in enumerate(data, start=1):
        try:
            marks.append(_mark(n, raw))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"pain_marks": problems})
    return marks


def stored(marks) -> list[dict]:
    return [mark.as_dict() for mark in marks]


def saved_marks(session) -> list[PainMark]:
    """A session's marks as saved (each was checked on the way in)."""
    return [PainMark(**mark) for mark in session.pain_marks or []]
