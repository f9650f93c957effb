"""A letter made when a session's check-in found a warning sign: a "please see your doctor"
note for the client and a summary for their doctor, one page each, in one PDF. A draft is
a preview of the session as it is now; issued, the PDF is stored with its fingerprint and
never changes. Letters are never deleted."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from clinic.models import Client, Clinic, Practitioner
from sessions.models import TreatmentSession


class NeverDeleted(Exception):
    """An attempt to delete a referral letter."""


class ReferralLetterQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        """The only way to a clinic's letters (`clinic` is a Clinic or its id)."""
        return self.filter(clinic=clinic)

    def delete(self):
        raise NeverDeleted("Referral letters are never deleted.")


class ReferralLetter(models.Model):
    session = models.OneToOneField(
        TreatmentSession, on_delete=models.PROTECT, related_name="referral_letter"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referral_letters")
    # The client's, kept on the letter so that a clinic's letters come newest first off one
    # index (the API's list) instead of a join through all the clinic's clients.
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+", editable=False)
    created_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    warning_signs = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Keys of the warning signs the letter is about, as issued.",
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["pdf"])

    objects = ReferralLetterQuerySet.as_manager()

    class Meta:
        verbose_name = "referral letter"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["clinic", "-created_at", "-id"], name="letter_clinic_newest_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_at__isnull=True, issued_by__isnull=True, pdf_sha256="")
                | (Q(issued_at__isnull=False, issued_by__isnull=False) & ~Q(pdf_sha256="")),
                name="letter_issued_with_pdf_by_whom_and_when",
            ),
        ]

    def __str__(self):
        return f"Referral letter for {self.client} ({self.session.started_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.clinic_id is None:
            self.clinic_id = self.client.clinic_id
        super().save(*args, **kwargs)

    @property
    def is_issued(self):
        return self.issued_at is not None

    def delete(self, *args, **kwargs):
        raise NeverDeleted("Referral letters are never deleted.")
