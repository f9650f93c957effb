"""Export a client's whole record: details, health flags, consent, every session with its
points, conditions and amendments, every home-care sheet with its items and issued PDFs,
their appointments (with the reminders sent) and treatment plans, and the client's access
log, as one JSON file or one readable PDF.

The record is read in a fixed number of queries (`read_record`), however many sessions,
points, sheets or log entries it has. The export is logged before the log is read, so the
file lists its own export.

The JSON holds each issued PDF as base64 beside its SHA-256, so one file is the whole record
(a zip of JSON and PDFs would be smaller but two formats in one, and the API's answer would
no longer be JSON); the PDF export carries the issued PDFs as attachments.
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone

from clinic.access import clients_for
from clinic.access_log import AccessEvent
from clinic.models import Client, Practitioner
from homecare.models import HomeCareItem, HomeCareSheet
from scheduling.models import Appointment, TreatmentPlan
from sessions.models import Amendment, TreatedPoint, TreatmentSession

FORMAT_VERSION = 1


@dataclass(frozen=True)
class ClientRecord:
    client: Client
    sessions: list[TreatmentSession]
    sheets: list[HomeCareSheet]
    appointments: list[Appointment]
    plans: list[TreatmentPlan]
    events: list[AccessEvent]
    exported_at: datetime
    exported_by: Practitioner


def clients_to_export(practitioner):
    """The practitioner's clinic's clients, with what the record shows of each."""
    return clients_for(practitioner).select_related(
        "clinic", "primary_practitioner", "consent_recorded_by"
    )


def read_record(client, *, exported_by) -> ClientRecord:
    """Everything on record for `client` (read through `clients_to_export`), oldest first:
    sessions (practitioner and signer joined), their conditions, points (point and tool
    joined) and amendments (who joined); sheets (who joined, stored PDFs included) and their
    items (point and tool joined); appointments (practitioner, type and room joined) and
    their reminders; treatment plans (practitioner joined); the access log (users and
    practitioners joined). Ten queries."""
    sessions = (
        TreatmentSession.objects.for_clinic(client.clinic_id)
        .filter(client=client)
        .select_related("practitioner", "signed_by")
        .prefetch_related(
            "conditions",
            Prefetch("treated_points", TreatedPoint.objects.select_related("point", "tool")),
            Prefetch("amendments", Amendment.objects.select_related("amended_by")),
        )
        .order_by("started_at", "pk")
    )
    sheets = (
        HomeCareSheet.objects.for_clinic(client.clinic_id)
        .filter(client=client)
        .select_related("created_by", "issued_by")
        .prefetch_related(
            Prefetch(
                "items",
                HomeCareItem.objects.select_related("point", "tool").order_by("position", "pk"),
            )
        )
        .order_by("created_at", "pk")
    )
    appointments = (
        Appointment.objects.for_clinic(client.clinic_id)
        .filter(client=client)
        .select_related("practitioner", "appointment_type", "room")
        .prefetch_related("reminders")
        .order_by("starts_at", "pk")
    )
    plans = (
        TreatmentPlan.objects.for_clinic(client.clinic_id)
        .filter(client=client)
        .select_related("practitioner")
        .order_by("created_at", "pk")
    )
    events = (
        AccessEvent.objects.for_clinic(client.clinic_id)
        .filter(client=client)
        .select_related("user__practitioner")
        .order_by("at", "pk")
    )
    return ClientRecord(
        client=client,
        sessions=list(sessions),
        sheets=list(sheets),
        appointments=list(appointments),
        plans=list(plans),
        events=list(events),
        exported_at=timezone.now(),
        exported_by=exported_by,
    )


# --- the JSON -------------------------------------------------------------------------


def as_json_text(record: ClientRecord) -> str:
    return json.dumps(as_json(record), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def as_json(record: ClientRecord) -> dict:
    client = record.client
    return {
        "export": {
            "format": "acupressure-clinic-client-record",
            "version": FORMAT_VERSION,
            "exported_at": record.exported_at,
            "exported_by": named(record.exported_by),
            "clinic": named(client.clinic),
        },
        "client": {
            **fields_of(client),
            "full_name": client.full_name,
            "health_flag_labels": client.health_flag_labels,
        },
        "sessions": [session_json(session) for session in record.sessions],
        "homecare_sheets": [sheet_json(sheet) for sheet in record.sheets],
        "appointments": [appointment_json(a) for a in record.appointments],
        "treatment_plans": [fields_of(p, exclude={"client", "clinic"}) for p in record.plans],
        "access_log": [event_json(event) for event in record.events],
    }


def session_json(session):
    return {
        **fields_of(session, exclude={"client"}),
        "conditions": [{"slug": c.slug, "name": c.name} for c in session.conditions.all()],
        "points": [fields_of(tp, exclude={"session"}) for tp in session.treated_points.all()],
        "amendments": [fields_of(a, exclude={"session"}) for a in session.amendments.all()],
    }


def sheet_json(sheet):
    return {
        **fields_of(sheet, exclude={"client", "pdf"}),
        "items": [fields_of(item, exclude={"sheet"}) for item in sheet.items.all()],
        "pdf": issued_pdf(sheet),
    }


def appointment_json(appointment):
    return {
        **fields_of(appointment, exclude={"client", "clinic"}),
        "reminders": [fields_of(r, exclude={"appointment"}) for r in appointment.reminders.all()],
    }


def stored_pdf(sheet) -> bytes | None:
    """An issued sheet's stored PDF; None for a draft."""
    return bytes(sheet.pdf) if sheet.is_issued and sheet.pdf is not None else None


def issued_pdf(sheet):
    """The stored PDF in the JSON, with the SHA-256 of these very bytes (the sheet's
    `pdf_sha256`, taken when it was issued, should be the same); None for a draft."""
    pdf = stored_pdf(sheet)
    if pdf is None:
        return None
    return {
        "filename": pdf_filename(sheet),
        "content_type": "application/pdf",
        "size": len(pdf),
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "base64": base64.b64encode(pdf).decode("ascii"),
    }


def pdf_filename(sheet):
    return f"homecare-{sheet.pk}-v{sheet.version}.pdf"


def event_json(event):
    return {**fields_of(event, exclude={"client", "clinic"}), "who": event.who}


def named(obj):
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


def fields_of(obj, *, exclude=()):
    """Every stored field of a record, so a field added later is exported too. A relation
    already loaded is its id and name; any other is its id alone (never a query)."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        if field.is_relation:
            loaded = field.is_cached(obj)
            related = named(getattr(obj, field.name)) if loaded else None
            values[field.name] = related if loaded else obj.serializable_value(field.name)
        else:
            values[field.name] = field.value_from_object(obj)
    return values
