"""The "See a doctor" signs a sheet ends with: the warning signs (catalogue data) for the
conditions treated, in the client's words, grouped by how soon to act."""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from catalogue.caution_rules import URGENCY_ORDER, WarningSign
from catalogue.models import Indication
from sessions.models import SessionCondition

TELL_YOUR_PRACTITIONER = "Tell your practitioner if you become pregnant or your health changes."


@dataclass(frozen=True)
class SignGroup:
    heading: str  # "Call an emergency number now"
    urgency: str
    signs: list[str]


def conditions_treated(sheet, point_ids: Sequence[int]) -> list[int]:
    """The session's conditions; with no session (or one that names none), the conditions
    that at least half of the sheet's points are indicated for: what the sheet is for, not
    every complaint one of its points is ever cited for (a page of signs a client would not
    read)."""
    if sheet.session_id is not None:
        links = SessionCondition.objects.filter(session_id=sheet.session_id)
        if ids := list(links.values_list("condition_id", flat=True)):
            return ids
    points = set(point_ids)
    indications = Indication.objects.filter(point_id__in=list(points))
    counts = Counter(indications.values_list("condition_id", flat=True))
    enough = max(1, math.ceil(len(points) / 2))
    return [condition for condition, count in counts.items() if count >= enough]


def see_a_doctor(sheet, point_ids: Sequence[int]) -> list[SignGroup]:
    """The signs, most urgent group first; a group with no sign is left out. A sign kept for
    some health flags (the bruise on blood thinners) only for a client with one of them."""
    signs = WarningSign.objects.for_conditions(
        conditions_treated(sheet, point_ids), flags=sheet.client.health_flags
    )
    by_urgency: dict[str, list[str]] = {urgency: [] for urgency in URGENCY_ORDER}
    for sign in signs:
        if sign.client_wording not in by_urgency[sign.urgency]:
            by_urgency[sign.urgency].append(sign.client_wording)
    return [
        SignGroup(heading=urgency.label, urgency=urgency.value, signs=listed)
        for urgency, listed in by_urgency.items()
        if listed
    ]
