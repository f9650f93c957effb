"""The dashboard's client counts (active, archived, the practitioner's own), kept in each
worker's cache for each state of the clinic's clients. Counting reads an index entry for
every client the clinic has (5 ms on SQLite for 20,000, issue 16's benchmark); the state is
the clinic's latest client change, one entry of the (clinic, updated_at) index.

Every change that moves a count saves the client, and a save sets `updated_at`: a new
client, archiving, restoring, another primary practitioner. On PostgreSQL a save can
commit after a later one (its `updated_at` older than the latest already seen), so a
kept count lives a minute at most."""

from django.core.cache import cache
from django.db.models import Count, Q

from .access import clients_for

KEPT_SECONDS = 60


def client_counts(practitioner) -> dict[str, int]:
    clients = clients_for(practitioner)
    latest = clients.order_by("-updated_at").values_list("updated_at", flat=True).first()
    changed = latest.isoformat() if latest else ""
    key = f"client-counts:{practitioner.clinic_id}:{practitioner.pk}:{changed}"
    return cache.get_or_set(key, lambda: _counted(clients, practitioner), KEPT_SECONDS)


def _counted(clients, practitioner) -> dict[str, int]:
    # Of the clinic column, not the id: PostgreSQL then counts off client_clinic_counts_idx
    # alone (COUNT(*) takes no filter in Django).
    return clients.aggregate(
        active=Count("clinic", filter=Q(archived_at__isnull=True)),
        archived=Count("clinic", filter=Q(archived_at__isnull=False)),
        mine=Count("clinic", filter=Q(archived_at__isnull=True, primary_practitioner=practitioner)),
    )
