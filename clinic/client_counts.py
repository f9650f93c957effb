"""The dashboard's client counts (active, archived, the practitioner's own), kept in each
worker's cache for each state of the clinic's clients. Counting reads an index entry for
every client the clinic has (5 ms on SQLite for 20,000, issue 16's benchmark); the state is
the clinic's latest client change, one entry of the (clinic, updated_at) index.

Every change that moves a count saves the client, and a save sets `updated_at`: a new
client, archiving, restoring, another primary practitioner. A save can commit after a
later one (its `updated_at`, taken before the write, older than the latest already seen;
on either database), so a kept count lives a minute at most. One entry a practitioner,
replaced when the state moves, so that a busy clinic's writes do not crowd the rest of
the cache out."""

from django.core.cache import cache
from django.db.models import Count, Q

from .access import clients_for

KEPT_SECONDS = 60


def client_counts(practitioner) -> dict[str, int]:
    clients = clients_for(practitioner)
    latest = clients.order_by("-updated_at").values_list("updated_at", flat=True).first()
    changed = latest.isoformat() if latest else ""
    key = f"client-counts:{practitioner.clinic_id}:{practitioner.pk}"
    kept = cache.get(key)
    if kept is not None and kept[0] == changed:
        return kept[1]
    counts = _counted(clients, practitioner)
    cache.set(key, (changed, counts), KEPT_SECONDS)
    return counts


def _counted(clients, practitioner) -> dict[str, int]:
    # Of the clinic column, not the id: PostgreSQL then counts off client_clinic_counts_idx
    # alone (COUNT(*) takes no filter in Django).
    return clients.aggregate(
        active=Count("clinic", filter=Q(archived_at__isnull=True)),
        archived=Count("clinic", filter=Q(archived_at__isnull=False)),
        mine=Count("clinic", filter=Q(archived_at__isnull=True, primary_practitioner=practitioner)),
    )
