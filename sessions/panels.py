"""What the session app adds to the clinic's pages (see clinic.panels)."""

from .models import TreatmentSession
from .timeline import client_timeline


def client_sessions(*, practitioner, client, query):
    """The latest sessions, or those older than `?before=` (see timeline.client_timeline)."""
    return {"timeline": client_timeline(client, before=query.get("before"))}


def unsigned_sessions(*, practitioner):
    sessions = TreatmentSession.objects.for_clinic(practitioner.clinic_id).filter(
        practitioner=practitioner, signed_at__isnull=True
    )
    return {"unsigned_sessions": sessions.select_related("client").order_by("started_at")[:10]}
