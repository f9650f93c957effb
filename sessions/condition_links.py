"""The one way a session's conditions are written: link by link, so that simple-history
records each one added or removed, with who and when (the many-to-many's `.set()` works in
bulk and records nothing)."""

from collections.abc import Iterable

from catalogue.fields import refuse_retired
from catalogue.models import Condition

from .models import SessionCondition, TreatmentSession


def set_conditions(session: TreatmentSession, conditions: Iterable[Condition]) -> None:
    """Give a saved session these conditions, in the caller's transaction. Links it keeps
    are left alone; a retired condition may stay on the session but is not added anew."""
    wanted = {condition.pk: condition for condition in conditions}
    links = {link.condition_id: link for link in session.condition_links.all()}
    added = [condition for pk, condition in wanted.items() if pk not in links]
    refuse_retired(added, field="conditions")
    for condition_id, link in links.items():
        if condition_id not in wanted:
            link.delete()
    for condition in added:
        SessionCondition.objects.create(session=session, condition=condition)
