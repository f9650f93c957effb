"""Caution rules: where a health flag calls for care, and what care. Each rule has one
scope (a point, a body region, a tool, a pressure, or the whole body, which may mean only
the site recorded on the client's flag), an action and the strength of its sources.

Warning signs are the symptoms that mean "see a doctor", grouped by the complaint they
go with. Both are loaded from the facts with the catalogue (loading.py) and edited in the
admin; the rule engine that applies them to a client is cautioning.py."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .health_flags import BodyRegion, HealthFlag
from .retiring import RetirableQuerySet


class PressureLevel(models.TextChoices):
    LIGHT = "light", "Light"
    MODERATE = "moderate", "Moderate"
    FIRM = "firm", "Firm"


PRESSURE_ORDER = {PressureLevel.LIGHT: 0, PressureLevel.MODERATE: 1, PressureLevel.FIRM: 2}


class Scope(models.TextChoices):
    POINT = "point", "A point"
    REGION = "region", "A body region"
    TOOL = "tool", "A pressure tool"
    PRESSURE = "pressure", "A pressure"
    WHOLE_BODY = "whole_body", "The whole body"
    FLAG_SITE = "flag_site", "The site recorded on the client's flag"


class Action(models.TextChoices):
    AVOID = "avoid", "Avoid"
    LIGHT_ONLY = "light_only", "Light pressure only"
    ASK_DOCTOR = "ask_doctor", "Ask the doctor first"
    CAUTION_NOTE = "caution_note", "Take care"


# Most restrictive first: when several rules meet, the strongest decides.
ACTION_ORDER = [Action.AVOID, Action.LIGHT_ONLY, Action.ASK_DOCTOR, Action.CAUTION_NOTE]


class Strength(models.TextChoices):
    CONSENSUS = "consensus", "Consensus (3+ sources)"
    SOME_SOURCES = "some sources", "Some sources"
    TRADITIONAL = "traditional only", "Traditional only"


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", "Call an emergency number now"
    SAME_DAY = "same_day", "See a doctor today"
    SOON = "see_doctor_soon", "See a doctor soon"


URGENCY_ORDER = [Urgency.EMERGENCY, Urgency.SAME_DAY, Urgency.SOON]


class CautionRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, flag__is_active=True)

    def naming_points(self):
        """The rules that name a point or a region, for any client (a point's page)."""
        return self.active().filter(scope__in=["point", "region"]).select_related("flag", "point")

    def for_flags(self, codes):
        return (
            self.active().filter(flag__code__in=list(codes)).select_related("flag", "point", "tool")
        )


class CautionRule(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    flag = models.ForeignKey(HealthFlag, on_delete=models.PROTECT, related_name="rules")
    scope = models.CharField(max_length=12, choices=Scope.choices)
    point = models.ForeignKey(
        "catalogue.Point",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caution_rules",
    )
    region = models.CharField(max_length=12, choices=BodyRegion.choices, blank=True)
    tool = models.ForeignKey(
        "catalogue.PressureTool", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pressure = models.CharField(
        max_length=10,
        choices=PressureLevel.choices,
        blank=True,
        help_text="The rule meets this pressure and any firmer one.",
    )
    same_side_only = models.BooleanField(
        "only near the flag's site",
        default=False,
        help_text="A region rule that applies only near the site recorded on the client's "
        "flag: its region, limb or neighbour, on that side (lymphoedema, a device).",
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    practitioner_note = models.CharField(max_length=400)
    client_note = models.CharField(
        max_length=250, help_text="Plain words for the home-care sheet (grade 7 or below)."
    )
    sources = models.CharField(
        max_length=300, blank=True, help_text="Source keys; GK = general knowledge."
    )
    strength = models.CharField(max_length=20, choices=Strength.choices)
    is_active = models.BooleanField(
        "active", default=True, help_text="Retire a rule instead of deleting it."
    )
    shipped_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Fingerprint of the shipped rule last loaded; differs once edited here.",
    )
    history = HistoricalRecords()

    objects = CautionRuleQuerySet.as_manager()

    class Meta:
        ordering = ["flag__position", "scope", "key"]
        constraints = [
            models.CheckConstraint(
                name="caution_rule_target_matches_scope",
                condition=(
                    Q(scope="point", point__isnull=False, region="", tool__isnull=True, pressure="")
                    | Q(scope="region", point__isnull=True, tool__isnull=True, pressure="")
                    & ~Q(region="")
                    | Q(
                        scope="tool", point__isnull=True, region="", tool__isnull=False, pressure=""
                    )
                    | Q(scope="pressure", point__isnull=True, region="", tool__isnull=True)
                    & ~Q(pressure="")
                    | Q(
                        scope__in=["whole_body", "flag_site"],
                        point__isnull=True,
                        region="",
                        tool__isnull=True,
                        pressure="",
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.flag.label}: {self.get_action_display().lower()} ({self.target_label})"

    def names(self, point) -> bool:
        """This point, or its region, is the rule's target."""
        if self.scope == Scope.POINT:
            return self.point_id == point.pk
        return self.scope == Scope.REGION and bool(point.region) and self.region == point.region

    @property
    def target_label(self) -> str:
        if self.scope == Scope.POINT:
            return self.point.code
        if self.scope == Scope.REGION:
            return self.get_region_display().lower()
        if self.scope == Scope.TOOL:
            return f"{self.tool.name.lower()}"
        if self.scope == Scope.PRESSURE:
            return f"{self.get_pressure_display().lower()} pressure"
        if self.scope == Scope.FLAG_SITE:
            return "at the recorded site"
        return "whole body"

    @property
    def general_knowledge(self) -> bool:
        """Rests partly on general knowledge, with no stored source: shown as weaker."""
        return "GK" in self.sources.replace(";", " ").split()

    @property
    def strength_label(self) -> str:
        label = self.get_strength_display()
        return f"{label}; partly general knowledge" if self.general_knowledge else label

    @property
    def short(self) -> str:
        """What to do, in a few words: "no elbow", "light pressure only (lower back)"."""
        if self.scope == Scope.TOOL and self.action == Action.AVOID:
            return f"no {self.tool.name.lower()}"
        if self.scope == Scope.PRESSURE and self.action == Action.AVOID:
            return f"no {self.get_pressure_display().lower()} pressure"
        return f"{self.get_action_display().lower()} ({self.target_label})"


class WarningSignQuerySet(RetirableQuerySet):
    def for_conditions(self, conditions, *, flags=None):
        """The signs for these conditions and the signs for any complaint, most urgent first.
        With `flags` (a client's health flag codes), a sign kept for clients with some flag
        (the lymphoedema arm, the bruise on blood thinners) only if the client has one."""
        signs = self.active().filter(Q(any_condition=True) | Q(conditions__in=list(conditions)))
        if flags is not None:
            signs = signs.filter(Q(for_flags=None) | Q(for_flags__code__in=list(flags)))
        return signs.distinct().order_by("urgency_rank", "position")


class WarningSign(models.Model):
    """A symptom that means the client should see a doctor, with how soon."""

    key = models.SlugField(max_length=60, unique=True)
    sign = models.CharField(max_length=200, help_text="For the practitioner.")
    client_wording = models.CharField(max_length=250, help_text="Plain words for the client.")
    urgency = models.CharField(max_length=16, choices=Urgency.choices)
    urgency_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    conditions = models.ManyToManyField(
        "catalogue.Condition", blank=True, related_name="warning_signs"
    )
    any_condition = models.BooleanField("for any complaint", default=False)
    for_flags = models.ManyToManyField(
        "catalogue.HealthFlag",
        blank=True,
        related_name="+",
        verbose_name="only for clients with",
        help_text="Left empty, the sign is for every client; otherwise only for clients with "
        "one of these health flags (a lymphoedema arm, a bruise on blood thinners).",
    )
    sources = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)
    shipped_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    history = HistoricalRecords()

    objects = WarningSignQuerySet.as_manager()

    class Meta:
        ordering = ["urgency_rank", "position"]

    def __str__(self):
        return self.sign

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "urgency_rank"}
        super().save(*args, **kwargs)

    def set_derived_fields(self):
        """What save() works out, for a bulk insert too (loading.py)."""
        self.urgency_rank = URGENCY_ORDER.index(self.urgency)
