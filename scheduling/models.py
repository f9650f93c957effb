"""The clinic's diary: appointments with their types and rooms, each practitioner's working
hours and time off, treatment plans booked as a series, and the reminders sent. Times are
stored in UTC and shown in the clinic's zone; working hours are wall-clock times in it.

Neither a practitioner nor a room is ever booked twice at once: `booking.py` checks inside
its locking transaction, and on PostgreSQL an exclusion constraint (migration 0002) backs it.
Appointments are never deleted: they are cancelled, with a reason."""

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from clinic.models import Client, Clinic, Practitioner
from clinic.revisions import RevisedModel
from sessions.models import TreatmentSession


class NeverDeleted(Exception):
    """An attempt to delete an appointment or a plan: cancel it instead."""


class ClinicScopedQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        """The only way to a clinic's records (`clinic` is a Clinic or its id)."""
        return self.filter(clinic=clinic)


class Room(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=80)
    is_active = models.BooleanField("in use", default=True)
    history = HistoricalRecords()

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["clinic", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="room_name_once_per_clinic")
        ]

    def __str__(self):
        return self.name


class AppointmentType(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="appointment_types")
    name = models.CharField(max_length=80, help_text="For example “First visit” or “Follow-up”.")
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)],
        help_text="How long it lasts, from 5 minutes to 8 hours.",
    )
    is_active = models.BooleanField("offered", default=True)
    history = HistoricalRecords()

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["clinic", "minutes", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="appointment_type_once"),
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=480), name="appointment_type_minutes"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.minutes} min)"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingHoursQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(practitioner__clinic=clinic)


class WorkingHours(models.Model):
    """One stretch of a practitioner's week, in the clinic's wall-clock time: a day may have
    several (a morning and an afternoon)."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()
    history = HistoricalRecords()

    objects = WorkingHoursQuerySet.as_manager()

    class Meta:
        verbose_name = "working hours"
        verbose_name_plural = "working hours"
        ordering = ["practitioner", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="hours_end_after_start"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class TimeOff(models.Model):
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="time_off"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=120, blank=True)
    history = HistoricalRecords()

    objects = WorkingHoursQuerySet.as_manager()

    class Meta:
        verbose_name = "time off"
        verbose_name_plural = "time off"
        ordering = ["practitioner", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="time_off_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.practitioner}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class TreatmentPlan(RevisedModel):
    """A course of sessions at an interval, with a goal and the sessions at which progress
    is reviewed; booked as a series of appointments in one step (plans.py)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="treatment_plans")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    goal = models.TextField(
        help_text="What the course aims for, in the client's words if possible."
    )
    sessions_planned = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    interval_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Days between sessions: 7 for weekly.",
    )
    review_at = models.JSONField(
        default=list,
        blank=True,
        help_text="The session numbers at which progress is reviewed, such as [4, 8].",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions_planned__gte=1, sessions_planned__lte=52),
                name="plan_sessions_planned",
            ),
            models.CheckConstraint(
                condition=Q(interval_days__gte=1, interval_days__lte=90), name="plan_interval"
            ),
        ]

    def __str__(self):
        return f"{self.sessions_planned} sessions every {self.interval_days} days for {self.client}"

    def delete(self, *args, **kwargs):
        raise NeverDeleted("Treatment plans are never deleted.")


# The longest appointment booking allows (scheduling.booking refuses longer ones): what
# overlaps a stretch of time started at most this long before it, so the search for it is
# a range of start times on an index, not every appointment that started before its end.
LONGEST_APPOINTMENT = timedelta(hours=8)


class AppointmentQuerySet(ClinicScopedQuerySet):
    def holding_time(self):
        """Appointments that keep their practitioner and room busy."""
        return self.exclude(status__in=Appointment.FREEING)

    def overlapping(self, starts_at, ends_at):
        return self.filter(
            starts_at__lt=ends_at,
            starts_at__gt=starts_at - LONGEST_APPOINTMENT,
            ends_at__gt=starts_at,
        )

    def delete(self):
        raise NeverDeleted("Appointments are never deleted: cancel them.")


class Appointment(RevisedModel):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        ARRIVED = "arrived", "Arrived"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    FREEING = (Status.CANCELLED,)  # a no-show's slot stays as it was: it happened

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="appointments"
    )
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    cancel_reason = models.CharField("reason for cancelling", max_length=200, blank=True)
    notes = models.TextField(
        blank=True, help_text="For the diary. Never sent to the client in a reminder."
    )
    plan = models.ForeignKey(
        TreatmentPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    plan_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Which of the plan's sessions this is (1 for the first)."
    )
    session = models.OneToOneField(
        TreatmentSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["clinic", "starts_at"], name="appointment_clinic_start"),
            models.Index(fields=["practitioner", "starts_at"], name="appointment_practitioner_day"),
            models.Index(fields=["room", "starts_at"], name="appointment_room_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancel_reason__gt="")
                | (~Q(status="cancelled") & Q(cancel_reason="")),
                name="appointment_cancelled_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(plan__isnull=True, plan_number__isnull=True)
                | Q(plan__isnull=False, plan_number__gte=1),
                name="appointment_plan_number",
            ),
            models.UniqueConstraint(
                fields=["plan", "plan_number"],
                condition=Q(plan__isnull=False) & ~Q(status="cancelled"),
                name="appointment_plan_number_once",
            ),
        ]

    def __str__(self):
        return f"{self.client} with {self.practitioner}, {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_open(self) -> bool:
        """Still to happen or happening: it can be moved, marked or cancelled."""
        return self.status in (self.Status.BOOKED, self.Status.ARRIVED)

    def delete(self, *args, **kwargs):
        raise NeverDeleted("Appointments are never deleted: cancel them.")


class Reminder(models.Model):
    """One reminder of an appointment, by one channel. Made when the appointment is booked
    (or moved); sent once by the worker (reminders.py), which records when."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="reminders")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.CharField(max_length=254, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took it to send (none while it waits)."
    )
    retry_at = models.DateTimeField(
        null=True, blank=True, help_text="After a failed attempt: when it is tried again."
    )

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "due_at"], name="reminder_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "channel"],
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True),
                name="one_pending_reminder_per_channel",
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} reminder for {self.appointment}"


class CalendarFeed(models.Model):
    """A practitioner's private iCalendar address. Only a digest of its secret is kept;
    revoked, it answers 404 for good."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="calendar_feeds"
    )
    token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Calendar feed of {self.practitioner}"


class DiarySettings(models.Model):
    """A clinic's diary settings: when reminders go and by which channels."""

    clinic = models.OneToOneField(Clinic, on_delete=models.PROTECT, related_name="diary_settings")
    reminder_hours_before = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(14 * 24)],
        help_text="How long before the appointment the reminder goes: 24 for a day.",
    )
    email_reminders = models.BooleanField(default=True)
    sms_reminders = models.BooleanField("text message reminders", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "diary settings"
        verbose_name_plural = "diary settings"

    def __str__(self):
        return f"Diary settings of {self.clinic}"
