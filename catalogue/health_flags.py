"""Health flags: what about a client, their age or their day calls for care when pressing
points. Data, edited in the admin; the caution rules (caution_rules.py) hang off them.

A client's flags are stored on the client as codes (clinic.Client.health_flags), with the
body site for the flags that need one (Client.flag_sites)."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .retiring import RetirableQuerySet

SIDES = [("left", "Left"), ("right", "Right"), ("both", "Both"), ("midline", "Midline")]


class BodyRegion(models.TextChoices):
    """The facts' 17 regions (shared/data/cautions): every point has one, region rules and
    flag sites name them."""

    HEAD = "head", "Head"
    FACE = "face", "Face"
    NECK = "neck", "Neck"
    SHOULDER = "shoulder", "Shoulder"
    UPPER_BACK = "upper_back", "Upper back"
    LOWER_BACK = "lower_back", "Lower back"
    SACRUM = "sacrum", "Sacrum and tailbone"
    ABDOMEN = "abdomen", "Abdomen"
    CHEST = "chest", "Chest"
    ARM = "arm", "Upper arm and elbow"
    FOREARM = "forearm", "Forearm and wrist"
    HAND = "hand", "Hand"
    THIGH = "thigh", "Thigh and hip"
    KNEE = "knee", "Knee"
    LOWER_LEG = "lower_leg", "Lower leg"
    ANKLE = "ankle", "Ankle"
    FOOT = "foot", "Foot"


# The limbs, for rules that follow a flag's site to the rest of its limb (lymphoedema).
LIMBS = [
    {"shoulder", "arm", "forearm", "hand"},
    {"thigh", "knee", "lower_leg", "ankle", "foot"},
]


class FlagKind(models.TextChoices):
    CLIENT = "client", "Recorded on the client"
    AGE = "age", "From the date of birth, or ticked by judgement"
    VISIT = "visit", "Asked at each visit's check-in"
    EVERYONE = "everyone", "Every client"


RECORDABLE_KINDS = [FlagKind.CLIENT, FlagKind.AGE]


class HealthFlagQuerySet(RetirableQuerySet):
    def recordable(self):
        """The flags a client's record can carry."""
        return self.filter(kind__in=RECORDABLE_KINDS)

    def check_in(self):
        return self.active().filter(kind=FlagKind.VISIT)


class HealthFlag(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    label = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=FlagKind.choices, default=FlagKind.CLIENT)
    description = models.CharField(
        max_length=300, blank=True, help_text="Shown in the client form."
    )
    has_site = models.BooleanField(
        "recorded with a body site",
        default=False,
        help_text="The client's flag records where (a scar, a tumour, a device, a limb).",
    )
    under_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Applies to every client younger than this."
    )
    from_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Applies to every client this age or older."
    )
    suggested_max_seconds = models.PositiveIntegerField(
        "suggested longest hold (seconds)",
        null=True,
        blank=True,
        help_text="General knowledge, no stored source: holds shorter than three minutes.",
    )
    check_in_question = models.CharField(
        max_length=200, blank=True, help_text="For a check-in flag: the question, in plain words."
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        "active", default=True, help_text="Retire a flag instead of deleting it."
    )
    shipped_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    history = HistoricalRecords()

    objects = HealthFlagQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return self.label

    def applies_at_age(self, age: int | None) -> bool:
        if age is None:
            return False
        return (self.under_age is not None and age < self.under_age) or (
            self.from_age is not None and age >= self.from_age
        )


def validate_flag_codes(value):
    """A client's flags: a list of known, recordable flag codes."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError("Health flags must be a list of flag codes.")
    known = set(HealthFlag.objects.recordable().values_list("code", flat=True))
    unknown = [code for code in value if code not in known]
    if unknown:
        raise ValidationError(
            "Unknown health flag: %(codes)s.", params={"codes": ", ".join(unknown)}
        )


def validate_flag_sites(value):
    """{flag code: [{"region": ..., "side": ...}, ...]} for flags recorded with a site."""
    message = 'Flag sites must map a flag code to a list of {"region", "side"}.'
    if not isinstance(value, dict):
        raise ValidationError(message)
    sides = {code for code, _ in SIDES}
    for code, sites in value.items():
        if not isinstance(sites, list):
            raise ValidationError(message)
        if len(sites) > len(BodyRegion.values):
            raise ValidationError(
                "At most %(most)s sites for %(code)s.",
                params={"most": len(BodyRegion.values), "code": code},
            )
        for site in sites:
            if not isinstance(site, dict) or set(site) != {"region", "side"}:
                raise ValidationError(message)
            if site["region"] not in BodyRegion.values:
                raise ValidationError(
                    "Unknown body region for %(code)s: %(region)s.",
                    params={"code": code, "region": site["region"]},
                )
            if site["side"] not in sides:
                raise ValidationError(
                    "Unknown side for %(code)s: %(side)s.",
                    params={"code": code, "side": site["side"]},
                )
    if len(value) > 50:
        raise ValidationError("Too many flags with sites.")
    with_sites = set(
        HealthFlag.objects.filter(code__in=list(value), has_site=True).values_list(
            "code", flat=True
        )
    )
    if unexpected := sorted(set(value) - with_sites):
        raise ValidationError(
            "These flags are not recorded with a site: %(codes)s.",
            params={"codes": ", ".join(unexpected)},
        )


def flag_labels(codes) -> list[str]:
    labels = dict(HealthFlag.objects.filter(code__in=list(codes)).values_list("code", "label"))
    return [labels.get(code, code) for code in codes]
