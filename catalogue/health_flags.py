"""Health flags that matter when pressing points.

The same codes are used for a client's flags and for a point's caution flags, so a
treatment form or home-care sheet can warn when the two meet.
"""

from django.core.exceptions import ValidationError
from django.db import models


class HealthFlag(models.TextChoices):
    PREGNANCY = "pregnancy", "Pregnancy"
    BLOOD_THINNERS = "blood_thinners", "Blood thinners / anticoagulants"
    RECENT_SURGERY = "recent_surgery", "Recent surgery or fracture"
    SKIN_LESIONS = "skin_lesions", "Skin lesions or varicose veins"
    OSTEOPOROSIS = "osteoporosis", "Osteoporosis or fragile bones"
    HIGH_BLOOD_PRESSURE = "high_blood_pressure", "High blood pressure"
    EPILEPSY = "epilepsy", "Epilepsy or seizures"
    CANCER = "cancer", "Cancer or current cancer treatment"


def validate_flag_codes(value):
    if not isinstance(value, list):
        raise ValidationError("Health flags must be a list of flag codes.")
    unknown = [code for code in value if code not in HealthFlag.values]
    if unknown:
        raise ValidationError(
            "Unknown health flag: %(codes)s.", params={"codes": ", ".join(map(str, unknown))}
        )


def flag_labels(codes):
    return [HealthFlag(code).label for code in codes if code in HealthFlag.values]
