"""The check-in at each session: what a stored flag cannot catch (a fever, a heavy meal
or alcohol, a hot calf now) and the warning signs for the complaints presented. A positive
answer shows how urgent it is and what to do, is stored with the session, and must be
acknowledged before the session is saved."""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from catalogue.caution_rules import Urgency
from catalogue.models import Condition, HealthFlag, WarningSign

FLAG_PREFIX, SIGN_PREFIX = "flag:", "sign:"
WHAT_TO_DO = {
    Urgency.EMERGENCY: "Stop. Call an emergency number now, or have the client call.",
    Urgency.SAME_DAY: "Do not treat this complaint today: the client should see a doctor today.",
    Urgency.SOON: "Advise the client to see their doctor soon; treat only with care.",
}
VISIT_WHAT_TO_DO = "See the caution on each point: postpone where it says avoid."


@dataclass(frozen=True)
class Question:
    code: str  # "flag:fever_acute_illness" or "sign:<warning sign key>"
    text: str
    urgency: str = ""  # a warning sign's; a visit flag has none
    what_to_do: str = VISIT_WHAT_TO_DO
    # A warning sign's conditions (slugs); the page shows it only when one is ticked,
    # unless it is asked for any complaint. A visit question is always asked.
    conditions: tuple[str, ...] = ()
    any_condition: bool = True

    @property
    def urgency_label(self) -> str:
        return Urgency(self.urgency).label if self.urgency else "Today"

    @property
    def flag_code(self) -> str:
        return self.code.removeprefix(FLAG_PREFIX) if self.code.startswith(FLAG_PREFIX) else ""


def questions_for(conditions: Iterable[Condition], *, flags: Iterable[str]) -> list[Question]:
    """The visit questions, then the warning signs for these conditions and any complaint,
    most urgent first; a sign kept for some health flags only if the client (`flags`, their
    codes) has one. Read as rows, not model instances: every session form asks them."""
    visit = [
        Question(code=FLAG_PREFIX + code, text=question or label)
        for code, question, label in HealthFlag.objects.check_in().values_list(
            "code", "check_in_question", "label"
        )
    ]
    signs = WarningSign.objects.for_conditions(conditions, flags=flags).values_list(
        "pk", "key", "sign", "urgency", "any_condition"
    )
    signs = list(signs)
    slugs = defaultdict(list)
    links = WarningSign.conditions.through.objects.filter(
        warningsign_id__in=[sign[0] for sign in signs]
    ).values_list("warningsign_id", "condition__slug")
    for sign_id, slug in links:
        slugs[sign_id].append(slug)
    return visit + [
        Question(
            code=SIGN_PREFIX + key,
            text=text,
            urgency=urgency,
            what_to_do=WHAT_TO_DO[urgency],
            conditions=tuple(sorted(slugs[pk])),
            any_condition=any_condition,
        )
        for pk, key, text, urgency, any_condition in signs
    ]


def found_flags(found: Collection[str]) -> list[str]:
    """The visit flags found today, for the rule engine."""
    return [code.removeprefix(FLAG_PREFIX) for code in found if code.startswith(FLAG_PREFIX)]


def check_in_problems(
    *, asked: list[Question], found: Collection[str], acknowledged: bool, kept: Collection[str] = ()
) -> dict:
    """`kept`: what an earlier save found, valid still though no longer asked."""
    codes = {q.code for q in asked} | set(kept)
    if unknown := sorted(set(found) - codes):
        return {
            "check_in_found": f"Not a check-in question for this session: {', '.join(unknown)}."
        }
    if found and not acknowledged:
        return {
            "check_in_acknowledged": (
                "The check-in found something: read what to do and acknowledge it to save."
            )
        }
    return {}


def found_questions(session) -> list[Question]:
    """What a saved session's check-in found, as questions (read only when it found any)."""
    if not session.check_in_found:
        return []
    found = set(session.check_in_found)
    signs = WarningSign.objects.filter(key__in=[c.removeprefix(SIGN_PREFIX) for c in found])
    flags = HealthFlag.objects.filter(code__in=[c.removeprefix(FLAG_PREFIX) for c in found])
    questions = [
        Question(code=FLAG_PREFIX + f.code, text=f.check_in_question or f.label)
        for f in flags
        if FLAG_PREFIX + f.code in found
    ] + [
        Question(
            code=SIGN_PREFIX + s.key,
            text=s.sign,
            urgency=s.urgency,
            what_to_do=WHAT_TO_DO[s.urgency],
        )
        for s in signs.order_by("urgency_rank", "position")
        if SIGN_PREFIX + s.key in found
    ]
    return questions
