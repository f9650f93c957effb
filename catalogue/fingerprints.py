"""The fingerprint of a point's shipped text, which tells an admin edit from the shipped
catalogue. The field lists of earlier releases stay here, frozen, for the migrations that
must compute the fingerprint as it was computed then."""

import hashlib
import json
from decimal import Decimal

# The fields a fingerprint covered until issue 13 (migrations 0004 and 0006 use it).
FIELDS_UNTIL_ISSUE_13 = [
    "meridian_id",
    "number",
    "pinyin",
    "hanzi",
    "hanzi_simplified",
    "english_name",
    "region",
    "location",
    "self_care_instructions",
    "default_tool_id",
    "self_care",
    "cautions",
    "figure",
    "figure_x",
    "figure_y",
]
FIELDS = [
    *FIELDS_UNTIL_ISSUE_13,
    "self_care_with",
    "not_self_care_reason",
    "default_duration_seconds",
    "duration_note",
]


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:.1f}"
    return "" if value is None else str(value)


def fingerprint(values: dict, names=FIELDS) -> str:
    text = json.dumps({k: _plain(values.get(k)) for k in names}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def point_fingerprint(point, names=FIELDS) -> str:
    return fingerprint({name: getattr(point, name) for name in names}, names)
