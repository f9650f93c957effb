"""Home-care sheets and their items. The tables were created by the treatment_sessions
app, before home care had an app of its own; they keep their names."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from catalogue.models import Point, PressureTool
from clinic.models import Client, Clinic, Practitioner
from clinic.revisions import RevisedModel
from sessions.models import MAX_POINT_SECONDS, Side, TreatmentSession

STANDARD_ADVICE = (
    "Press each point with steady, comfortable pressure. It may feel tender, but it should "
    "not hurt. Breathe slowly while you press. Drink a glass of water afterwards."
)


class HomeCareSheetQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        """The only way to a clinic's sheets (`clinic` is a Clinic or its id)."""
        return self.filter(clinic=clinic)


class HomeCareSheet(RevisedModel):
    """Self-acupressure instructions a client takes home. Issued sheets never change:
    a correction is a new version."""

    class Paper(models.TextChoices):
        A4 = "a4", "A4"
        LETTER = "letter", "US Letter"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="homecare_sheets")
    # The client's, kept on the sheet so that a clinic's sheets come newest first off one
    # index (set on save).
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+", editable=False)
    session = models.ForeignKey(
        TreatmentSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="homecare_sheets",
    )
    created_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    general_advice = models.TextField(blank=True, default=STANDARD_ADVICE)
    large_print = models.BooleanField(default=False)
    paper = models.CharField(max_length=6, choices=Paper.choices, default=Paper.A4)
    caution_acknowledged = models.BooleanField(default=False)
    acknowledged_cautions = models.JSONField(default=list, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="newer_versions"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    objects = HomeCareSheetQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["pdf"], table_name="treatment_sessions_historicalhomecaresheet"
    )

    class Meta:
        db_table = "treatment_sessions_homecaresheet"
        ordering = ["-created_at", "-pk"]
        # The API's list reads a page of the clinic's sheets off this, newest first,
        # instead of sorting all of them.
        indexes = [
            models.Index(fields=["clinic", "-created_at", "-id"], name="sheet_clinic_newest_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_at__isnull=True, issued_by__isnull=True, pdf_sha256="")
                | (Q(issued_at__isnull=False, issued_by__isnull=False) & ~Q(pdf_sha256="")),
                name="sheet_issued_with_pdf_by_whom_and_when",
            ),
            models.UniqueConstraint(fields=["supersedes"], name="one_successor_per_sheet"),
        ]

    def __str__(self):
        return f"Home-care sheet for {self.client} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.clinic_id is None:
            self.clinic_id = self.client.clinic_id
        super().save(*args, **kwargs)

    @property
    def is_issued(self):
        return self.issued_at is not None


class HomeCareItem(models.Model):
    sheet = models.ForeignKey(HomeCareSheet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    point = models.ForeignKey(Point, on_delete=models.PROTECT, related_name="+")
    tool = models.ForeignKey(PressureTool, on_delete=models.PROTECT, related_name="+")
    duration_seconds = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_POINT_SECONDS)]
    )
    times_per_day = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    instructions = models.TextField()
    history = HistoricalRecords(table_name="treatment_sessions_historicalhomecareitem")

    class Meta:
        db_table = "treatment_sessions_homecareitem"
        ordering = ["sheet", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_seconds__gt=0) & Q(duration_seconds__lte=MAX_POINT_SECONDS),
                name="homecare_item_duration_up_to_30_min",
            ),
            models.CheckConstraint(
                condition=Q(times_per_day__gte=1) & Q(times_per_day__lte=10),
                name="homecare_item_1_to_10_times_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.point.code} on {self.sheet}"
