from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from catalogue.models import Condition, Point, PressureLevel, PressureTool
from clinic.models import Client, Clinic, Practitioner
from clinic.revisions import RevisedModel

PAIN_SCALE = [MinValueValidator(0), MaxValueValidator(10)]
MAX_POINT_SECONDS = 30 * 60


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    IMPROVED = "improved", "Improved"
    UNCHANGED = "unchanged", "Unchanged"
    WORSE = "worse", "Worse"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"
    MIDLINE = "midline", "Midline"


Pressure = PressureLevel  # the catalogue's, so caution rules can name a pressure


class PointResponse(models.TextChoices):
    RELIEF = "relief", "Relief"
    TENDER = "tender", "Tender"
    NO_CHANGE = "no_change", "No change"
    DISCOMFORT = "discomfort", "Discomfort"


class HoldEnded(models.TextChoices):
    """How a hold timer on a point was stopped."""

    RELIEF = "relief", "Relief"
    TIME_UP = "time_up", "Time up"
    TOO_TENDER = "too_tender", "Too tender"


class TreatmentSessionQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        """The only way to a clinic's sessions (`clinic` is a Clinic or its id)."""
        return self.filter(clinic=clinic)

    def signed(self):
        return self.filter(signed_at__isnull=False)


class TreatmentSession(RevisedModel):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="treatment_sessions")
    # The client's clinic, kept on the session so that a clinic's sessions are read in
    # start order through one index (clinic, started_at) rather than sorted after a join.
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+", editable=False)
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField("started")
    conditions = models.ManyToManyField(
        Condition, through="SessionCondition", blank=True, related_name="+"
    )
    complaint = models.TextField("presenting complaint", blank=True)
    pain_before = models.PositiveSmallIntegerField(validators=PAIN_SCALE)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_SCALE)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    notes = models.TextField(blank=True)
    adverse_reaction = models.TextField(blank=True)
    follow_up = models.TextField("follow-up recommendation", blank=True)
    caution_acknowledged = models.BooleanField(
        default=False, help_text="Some caution needed acknowledging, and each one was."
    )
    acknowledged_cautions = models.JSONField(
        default=list,
        blank=True,
        help_text="Each caution acknowledged, e.g. 'SP6 Pregnancy: take care (SP6)'.",
    )
    check_in_asked = models.JSONField(
        default=list, blank=True, help_text="The check-in questions shown, by code."
    )
    check_in_found = models.JSONField(
        default=list, blank=True, help_text="The check-in answers that were yes, by code."
    )
    check_in_acknowledged = models.BooleanField(default=False)
    pain_marks = models.JSONField(
        default=list,
        blank=True,
        help_text="Where it hurt, as data (sessions/pain_marks.py): "
        '[{"view": "lower_back", "x": 30.0, "y": 40.0, "radius": 7, "intensity": 6}].',
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = TreatmentSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_before__gte=0) & Q(pain_before__lte=10),
                name="session_pain_before_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(pain_after__isnull=True)
                | (Q(pain_after__gte=0) & Q(pain_after__lte=10)),
                name="session_pain_after_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True, signed_by__isnull=True)
                | Q(signed_at__isnull=False, signed_by__isnull=False),
                name="session_signed_by_whom_and_when",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "-started_at", "-id"], name="session_client_time_idx"),
            models.Index(fields=["clinic", "-started_at", "-id"], name="session_clinic_time_idx"),
            # Covers the state of a client's history (whole_history.history_state: count,
            # revisions, latest change), read from the index alone.
            models.Index(
                fields=["client", "updated_at", "revision"], name="session_client_state_idx"
            ),
            # The dashboard's unsigned list; partial where the database supports it
            # (PostgreSQL and SQLite both do), so it holds only the few unsigned sessions.
            models.Index(
                fields=["practitioner", "started_at"],
                condition=Q(signed_at__isnull=True),
                name="session_unsigned_idx",
            ),
        ]

    def __str__(self):
        return f"{self.client} on {self.started_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.clinic_id is None:
            self.clinic_id = self.client.clinic_id
        super().save(*args, **kwargs)

    @property
    def is_signed(self):
        return self.signed_at is not None

    @property
    def pain_change(self):
        if self.pain_after is None:
            return None
        return self.pain_before - self.pain_after


class SessionCondition(models.Model):
    """A condition a session was for. A model of its own so that each link added to or
    removed from a draft has its history, with who and when: write them through
    `condition_links.set_conditions`, never with `.set()` (bulk, so unrecorded)."""

    # The table and columns the automatic many-to-many had (treatment_sessions 0004).
    session = models.ForeignKey(
        TreatmentSession,
        on_delete=models.CASCADE,
        related_name="condition_links",
        db_column="treatmentsession_id",
    )
    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, related_name="+", db_column="condition_id"
    )
    history = HistoricalRecords()

    class Meta:
        db_table = "treatment_sessions_treatmentsession_conditions"
        # The automatic table's own unique pair, named by the backend as it made it; a
        # UniqueConstraint (named) would mean rebuilding the table on SQLite.
        unique_together = [("session", "condition")]

    def __str__(self):
        return f"{self.condition} ({self.session})"


class TreatedPoint(models.Model):
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="treated_points"
    )
    position = models.PositiveSmallIntegerField(default=0)
    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    tool = models.ForeignKey(PressureTool, on_delete=models.PROTECT, related_name="+")
    duration_seconds = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_POINT_SECONDS)]
    )
    pressure = models.CharField(max_length=10, choices=Pressure.choices)
    response = models.CharField(max_length=12, choices=PointResponse.choices, blank=True)
    held_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_POINT_SECONDS)],
        help_text="Seconds the hold timer ran on this point; blank when it was not timed.",
    )
    hold_ended = models.CharField(
        max_length=10,
        choices=HoldEnded.choices,
        blank=True,
        help_text="How the timed hold ended; blank when it was not timed.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_seconds__gt=0) & Q(duration_seconds__lte=MAX_POINT_SECONDS),
                name="treated_point_duration_up_to_30_min",
            ),
            models.CheckConstraint(
                condition=Q(held_seconds__isnull=True, hold_ended="")
                | (
                    # NULL > 0 is unknown, which a CHECK lets through: say "not null".
                    Q(held_seconds__isnull=False)
                    & Q(held_seconds__gt=0)
                    & Q(held_seconds__lte=MAX_POINT_SECONDS)
                    & Q(hold_ended__in=HoldEnded.values)
                ),
                name="treated_point_hold_timed_and_ended",
            ),
        ]

    def __str__(self):
        return f"{self.point.code} ({self.get_side_display()})"


class Amendment(models.Model):
    """A correction to a signed session: who, in which role, when, why and what changed
    (old and new)."""

    class AmendedAs(models.TextChoices):
        TREATING = "treating", "treating practitioner"
        MANAGER = "manager", "clinic manager"
        # Amendments made before roles were checked, by someone other than the treating
        # practitioner (migration 0006): never written now.
        COLLEAGUE = "colleague", "colleague, before roles were checked"

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="amendments"
    )
    amended_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    amended_as = models.CharField(
        max_length=10,
        choices=AmendedAs.choices,
        help_text="The session's treating practitioner, or a clinic manager amending "
        "another practitioner's session.",
    )
    amended_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    changes = models.JSONField(help_text='{"field": {"old": ..., "new": ...}}')

    class Meta:
        ordering = ["amended_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amended_as__in=["treating", "manager", "colleague"]),
                name="amendment_amended_as_a_known_role",
            ),
        ]

    def __str__(self):
        return f"Amendment to {self.session} by {self.amended_by}"
