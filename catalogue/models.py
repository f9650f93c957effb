import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .body_views import body_views, is_bilateral, marker_places, view_choices
from .health_flags import BodyRegion
from .retiring import RetirableQuerySet
from .sources import sources_for
from .tool_words import tool_disagreement


def search_key(text):
    """Lower case, no accents, spaces or hyphens: 'Hégǔ' -> 'hegu', 'LI 4' -> 'li4'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in plain.lower() if c.isalnum())


SELF_CARE_WAY_NEEDED = (
    "Say how the client presses it: on their own, on a tennis ball or by a helper."
)
SELF_CARE_WAY_NOT_WANTED = "Leave this empty for a point not suitable for self-care."
REASON_NEEDED = "Say why it is not for self-care: it is shown wherever the point is offered."
REASON_NOT_WANTED = "Leave this empty for a point suitable for self-care."
INSTRUCTIONS_NEEDED = "A self-care point needs its instructions for the client."
BILATERAL_ON_THE_LEFT = (
    "A point on both sides is placed on the left half of the view (x below 50); "
    "it is drawn on both."
)
MIDLINE_AT_50 = "A midline point sits on the midline (x = 50) of a view that has it."


class SelfCareWay(models.TextChoices):
    ALONE = "alone", "On their own"
    TENNIS_BALL = "tennis_ball", "Lying or leaning on a tennis ball"
    PARTNER = "partner", "A helper presses it"


class NotSelfCareReason(models.TextChoices):
    NEAR_EYE = "near_eye", "Near the eye"
    OVER_ARTERY = "over_artery", "Over an artery"
    THROAT = "throat", "On the front of the throat"
    INTIMATE = "intimate", "On an intimate area"
    NEEDS_TRAINING = "needs_training", "Needs a trained hand"


RETIRE_HELP = (
    "Retire instead of deleting: retired ones are kept on old records but not offered for new ones."
)


class Meridian(models.Model):
    code = models.CharField(max_length=4, unique=True)
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} · {self.name}"


class PressureTool(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    how_to_use = models.TextField(blank=True)
    self_applicable = models.BooleanField("a client can use it on themselves", default=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("active", default=True, help_text=RETIRE_HELP)
    history = HistoricalRecords()

    objects = RetirableQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Condition(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    body_area = models.CharField(max_length=20, choices=BodyRegion.choices, blank=True)
    synonyms = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other words clients use for it, comma separated: lumbago, stiff neck.",
    )
    is_active = models.BooleanField("active", default=True, help_text=RETIRE_HELP)
    history = HistoricalRecords()

    objects = RetirableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PointQuerySet(RetirableQuerySet):
    def for_lists(self):
        return self.select_related("meridian", "default_tool")


class Point(models.Model):
    code = models.CharField(max_length=12, unique=True, help_text="WHO form: LI4, EX-HN3.")
    meridian = models.ForeignKey(Meridian, on_delete=models.PROTECT, related_name="points")
    number = models.PositiveSmallIntegerField()
    pinyin = models.CharField(max_length=40)
    hanzi = models.CharField("Chinese (traditional, as WHO prints it)", max_length=10)
    hanzi_simplified = models.CharField("Chinese (simplified)", max_length=10, blank=True)
    english_name = models.CharField(max_length=80, blank=True)
    region = models.CharField(max_length=20, choices=BodyRegion.choices, blank=True)
    location = models.TextField(blank=True, help_text="How a practitioner finds the point.")
    self_care_instructions = models.TextField(
        blank=True, help_text="How a client finds and presses it at home, in plain words."
    )
    default_tool = models.ForeignKey(
        PressureTool, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    default_duration_seconds = models.PositiveIntegerField(
        default=180,
        validators=[MinValueValidator(10), MaxValueValidator(1800)],
        help_text="Three minutes or until relief.",
    )
    self_care = models.BooleanField("suitable for self-care", default=False)
    self_care_with = models.CharField(
        "self-care how",
        max_length=12,
        choices=SelfCareWay.choices,
        blank=True,
        help_text="For self-care points: alone, on a tennis ball, or by a helper.",
    )
    not_self_care_reason = models.CharField(
        "why not for self-care",
        max_length=16,
        choices=NotSelfCareReason.choices,
        blank=True,
        help_text="Shown wherever the point is offered for self-care.",
    )
    duration_note = models.CharField(
        max_length=200, blank=True, help_text="Why the default differs from three minutes."
    )
    cautions = models.TextField(
        blank=True, help_text="Technique notes; cautions by health flag are rules."
    )
    conditions = models.ManyToManyField(
        Condition, through="Indication", related_name="points", blank=True
    )
    figure = models.CharField("figure view", max_length=20, choices=view_choices, blank=True)
    figure_x = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Across the figure, in percent from the left.",
    )
    figure_y = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Down the figure, in percent from the top.",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Retire a point instead of deleting it."
    )
    code_key = models.CharField(max_length=12, editable=False, db_index=True)
    pinyin_key = models.CharField(max_length=40, editable=False, db_index=True)
    shipped_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Fingerprint of the shipped text last loaded; differs once edited here.",
    )
    history = HistoricalRecords(excluded_fields=["code_key", "pinyin_key"])

    objects = PointQuerySet.as_manager()

    class Meta:
        ordering = ["meridian__position", "number", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_duration_seconds__gte=10)
                & models.Q(default_duration_seconds__lte=1800),
                name="point_duration_between_10s_and_30min",
            ),
            models.CheckConstraint(
                condition=(models.Q(figure="") & models.Q(figure_x__isnull=True))
                | (
                    ~models.Q(figure="")
                    & models.Q(figure_x__isnull=False)
                    & models.Q(figure_y__isnull=False)
                ),
                name="point_figure_has_coordinates",
            ),
            models.CheckConstraint(
                condition=(models.Q(self_care=True) & models.Q(not_self_care_reason=""))
                | (models.Q(self_care=False) & models.Q(self_care_with="")),
                name="point_self_care_way_or_reason",
                violation_error_message=(
                    "A self-care point has no reason against self-care, and a point not for "
                    "self-care has no way of pressing it alone."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.pinyin}"

    def save(self, *args, **kwargs):
        self.set_search_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "code_key", "pinyin_key"}
        super().save(*args, **kwargs)

    def clean(self):
        """The catalogue's rules for a point, as the shipped catalogue's tests check them:
        an admin edit cannot undo them."""
        super().clean()
        errors = self.self_care_problems() | self.picture_problems()
        if errors:
            raise ValidationError(errors)

    def self_care_problems(self) -> dict:
        if not self.self_care:
            return {
                **({"self_care_with": SELF_CARE_WAY_NOT_WANTED} if self.self_care_with else {}),
                **({} if self.not_self_care_reason else {"not_self_care_reason": REASON_NEEDED}),
            }
        errors = {}
        if self.not_self_care_reason:
            errors["not_self_care_reason"] = REASON_NOT_WANTED
        if not self.self_care_with:
            errors["self_care_with"] = SELF_CARE_WAY_NEEDED
        if not self.self_care_instructions:
            errors["self_care_instructions"] = INSTRUCTIONS_NEEDED
        elif self.default_tool_id:
            problem = tool_disagreement(
                self.self_care_instructions, self.default_tool.slug, self.self_care_with
            )
            if problem:
                errors["default_tool"] = problem
        return errors

    def picture_problems(self) -> dict:
        view = self.body_view
        if view is None or self.figure_x is None:
            return {}
        if self.region and self.region not in view.regions:
            return {"figure": f"The {view.title.lower()} do not show the {self.region_label}."}
        if self.bilateral and self.figure_x >= 50:
            return {"figure_x": BILATERAL_ON_THE_LEFT}
        if not self.bilateral and (self.figure_x != 50 or not view.midline):
            return {"figure_x": MIDLINE_AT_50}
        return {}

    @property
    def region_label(self):
        return self.get_region_display().lower()

    def set_search_keys(self):
        self.code_key = search_key(self.code)
        self.pinyin_key = search_key(self.pinyin)

    @property
    def has_picture(self):
        return bool(self.figure) and self.figure_x is not None and self.figure_y is not None

    @property
    def body_view(self):
        return body_views().get(self.figure)

    @property
    def bilateral(self):
        return is_bilateral(self.code)

    def marker_places(self):
        """Percent positions of its markers on its view: two for a bilateral point."""
        if not self.has_picture:
            return []
        return marker_places(self.figure_x, self.figure_y, bilateral=self.bilateral)


class Indication(models.Model):
    """A condition a point is cited for, with how many independent sources back it."""

    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="indications")
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="indications")
    source_count = models.PositiveSmallIntegerField(default=1)
    sources = models.CharField(max_length=300, blank=True, help_text="Source keys.")

    class Meta:
        ordering = ["-source_count", "point__code"]
        constraints = [
            models.UniqueConstraint(fields=["point", "condition"], name="unique_indication"),
        ]

    def __str__(self):
        return f"{self.point.code} for {self.condition} ({self.source_count} sources)"

    def cited_by(self):
        return sources_for(self.sources)


# The health flags and caution rules live beside their rules (health_flags.py, caution_rules.py).
from .caution_rules import CautionRule, PressureLevel, WarningSign  # noqa: E402,F401
from .health_flags import HealthFlag  # noqa: E402,F401
