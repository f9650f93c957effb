import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from catalogue.cautioning import FlagProfile
from catalogue.health_flags import flag_labels, validate_flag_codes, validate_flag_sites

from .revisions import RevisedModel


def validate_time_zone(name):
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            f"Unknown time zone {name!r}: use a name such as Europe/London."
        ) from error


class Clinic(RevisedModel):
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA zone such as Europe/London. Empty uses DJANGO_TIME_ZONE.",
    )
    requires_second_factor = models.BooleanField(
        "practitioners sign in with a second factor",
        default=False,
        help_text="Every practitioner of this clinic needs an authenticator app to sign in.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Practitioner(RevisedModel):
    class Role(models.TextChoices):
        PRACTITIONER = "practitioner", "Practitioner"
        MANAGER = "manager", "Clinic manager"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practitioner"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="practitioners")
    display_name = models.CharField(max_length=150)
    qualification = models.CharField(
        max_length=200, blank=True, help_text="The acupressure training held."
    )
    registration_number = models.CharField(
        "registration or licence number", max_length=80, blank=True
    )
    is_active = models.BooleanField("active", default=True)
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        default=Role.PRACTITIONER,
        help_text="A clinic manager also manages the clinic's practitioners, reads its "
        "access log and clears locked-out logins.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    @property
    def is_manager(self):
        return self.role == self.Role.MANAGER


def display_name(first_name: str, last_name: str, preferred_name: str) -> str:
    """How a client is named on the pages: "Maggie Hale (Margaret)", else "Margaret Hale";
    for lists read as rows rather than models (Client.display_name)."""
    if preferred_name:
        return f"{preferred_name} {last_name} ({first_name})"
    return f"{first_name} {last_name}"


class ClientQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        """The only way to a clinic's clients (`clinic` is a Clinic or its id)."""
        return self.filter(clinic=clinic)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


def validate_date_of_birth(born):
    if born > timezone.localdate():
        raise ValidationError("Date of birth cannot be in the future.")
    if born.year < 1900:
        raise ValidationError("Enter a date of birth after 1900.")


# A clinic's clients in name order, the same in every list (the page, the API) and in the
# index that serves it; the id tells equal names apart.
NAME_ORDER = ["last_name", "first_name", "pk"]


class Client(RevisedModel):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="clients")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_date_of_birth])
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    emergency_contact = models.CharField(
        max_length=200, blank=True, help_text="Name, relationship and phone number."
    )
    health_history = models.TextField(blank=True)
    health_flags = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_flag_codes],
        help_text="Flag codes that matter for pressing points, e.g. pregnancy.",
    )
    flag_sites = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_flag_sites],
        help_text='Where, for the flags recorded with a site: {"lymphoedema": '
        '[{"region": "arm", "side": "left"}]}.',
    )
    health_flags_other = models.TextField("other health notes for treatment", blank=True)
    consent_given_at = models.DateTimeField("consent to treatment recorded", null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    primary_practitioner = models.ForeignKey(
        Practitioner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_clients",
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = NAME_ORDER
        # The client list: a clinic's clients in name order, the first 25 read off the
        # index without sorting the rest.
        indexes = [
            models.Index(
                fields=["clinic", "last_name", "first_name", "id"], name="client_clinic_name_idx"
            ),
            # The dashboard: its counts read this index alone (active, archived, the
            # practitioner's own), and its recently updated active clients the next (also
            # the booking form's menu), in order, with no sort of the clinic's clients.
            # Not (clinic, archived_at, ...): SQLite's statistics average the rows per
            # archived_at over distinct times, so it took that index for the active list
            # and sorted the whole clinic by name.
            models.Index(
                fields=["clinic", "primary_practitioner", "archived_at"],
                name="client_clinic_counts_idx",
            ),
            # Partial: PostgreSQL does not read an "IS NULL" column as fixed for ordering.
            models.Index(
                fields=["clinic", "-updated_at", "-id"],
                condition=models.Q(archived_at__isnull=True),
                name="client_recent_idx",
            ),
            # The clinic's latest client change, archived or not: the key of the
            # dashboard's kept counts (clinic/client_counts.py).
            models.Index(fields=["clinic", "updated_at"], name="client_clinic_changed_idx"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self):
        return display_name(self.first_name, self.last_name, self.preferred_name)

    @property
    def archived(self):
        return self.archived_at is not None

    @property
    def has_consent(self):
        return self.consent_given_at is not None

    @property
    def health_flag_labels(self):
        return flag_labels(self.health_flags)

    def age_on(self, day) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    def flag_profile(self, *, on=None, found_today=()) -> FlagProfile:
        """What calls for care with this client (on a day: their age then), with what the
        day's check-in found."""
        return FlagProfile.build(
            recorded=self.health_flags,
            sites=self.flag_sites,
            age=self.age_on(on) if on else self.age,
            found_today=found_today,
        )

    def clean(self):
        super().clean()
        if not isinstance(self.flag_sites, dict) or not isinstance(self.health_flags, list):
            return  # their field validators say what is wrong
        flags = {code for code in self.health_flags if isinstance(code, str)}
        if unrecorded := sorted(set(self.flag_sites) - flags):
            raise ValidationError(
                {
                    "flag_sites": "A site is recorded for flags the client does not have: "
                    + ", ".join(unrecorded)
                    + "."
                }
            )

    def refuse_if_archived(self, to_do):
        """The one archived-client rule: nothing new is recorded for an archived client."""
        if self.archived:
            raise ValidationError({"client": f"This client is archived. Restore them to {to_do}."})

    def save(self, *args, **kwargs):
        from .client_search import SEARCHED_FIELDS, refresh_words

        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) & set(SEARCHED_FIELDS):
            refresh_words(self, adding=adding)

    def archive(self):
        self.archived_at = timezone.now()
        self.save(update_fields=["archived_at", "updated_at"])

    def restore(self):
        self.archived_at = None
        self.save(update_fields=["archived_at", "updated_at"])


class ClientSearchWord(models.Model):
    """A word a client is found by (clinic/client_search.py): derived from the client's
    names, email and phone, and rewritten whenever the client is saved."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="search_words")
    word = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "word"], name="client_search_word_once")
        ]
        indexes = [
            # The pattern operator class lets PostgreSQL answer LIKE 'prefix%' from the
            # index whatever the database's collation; other databases ignore it. The
            # client's id is in it so that a search reads the matches off the index alone
            # (SQLite: "smith" 0.68 -> 0.24 ms for its 365 matches at 20,000 clients).
            models.Index(
                fields=["clinic", "word", "client"],
                opclasses=["int8_ops", "varchar_pattern_ops", "int8_ops"],
                name="client_search_word_cover_idx",
            ),
        ]

    def __str__(self):
        return self.word


def validate_idempotency_key(key):
    if not 1 <= len(key) <= 255 or not all(" " <= char <= "~" for char in key):
        raise ValidationError(
            "An Idempotency-Key is 1 to 255 printable ASCII characters, such as a UUID."
        )


class IdempotencyKey(models.Model):
    """An API client's Idempotency-Key for one write, and the answer that write got, so a
    retry is answered the same instead of being done twice (see clinic/idempotency.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255, validators=[validate_idempotency_key])
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    request_sha256 = models.CharField(
        "request body SHA-256", max_length=64, help_text="Of the body as canonical JSON."
    )
    response_status = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty while the first request is being answered."
    )
    response_body = models.TextField("response body (JSON)", blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_user"),
            models.CheckConstraint(
                condition=models.Q(response_status__isnull=True)
                | models.Q(response_status__gte=200, response_status__lt=300),
                name="idempotency_key_keeps_only_successes",
            ),
        ]

    def __str__(self):
        return f"{self.key} for {self.method} {self.path}"

    @property
    def answered(self):
        return self.response_status is not None


# The access log's and the API tokens' models live beside their rules (clinic/access_log.py,
# clinic/api_tokens.py).
from .access_log import AccessEvent  # noqa: E402,F401
from .api_tokens import ApiToken  # noqa: E402,F401
