"""A practitioner's private calendar feed: an iCalendar address with a secret in it, for a
phone's or a desktop's calendar app. The secret is shown once, when made; only its sha256 is
kept. Making a new one revokes the old, and a revoked feed answers 404 for good.

The feed holds the practitioner's appointments from PAST ago to AHEAD from now, but the
cancelled ones, each with the client's initials, the time, the room and the status: no
names, no notes, no appointment type (it may say what the client is treated for), nothing
of the client's health. A calendar app may keep it on a phone that is lost."""

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

import icalendar
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from clinic.models import Practitioner

from .models import Appointment, CalendarFeed

PAST = timedelta(days=30)
AHEAD = timedelta(days=180)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_feed(practitioner: Practitioner) -> CalendarFeed | None:
    return practitioner.calendar_feeds.filter(revoked_at__isnull=True).first()


@transaction.atomic
def make_feed(*, practitioner: Practitioner) -> tuple[CalendarFeed, str]:
    """A new feed and its secret (to be shown once); the practitioner's old one is revoked."""
    revoke_feed(practitioner=practitioner)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(practitioner=practitioner, token_sha256=digest(token))
    return feed, token


def revoke_feed(*, practitioner: Practitioner) -> int:
    """Revoke the practitioner's feed, if they have one: how many were revoked."""
    live = practitioner.calendar_feeds.filter(revoked_at__isnull=True)
    return live.update(revoked_at=timezone.now())


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed the secret opens (of an active practitioner who can still log in),
    recorded as used now."""
    feed = (
        CalendarFeed.objects.select_related("practitioner__clinic")
        .filter(
            token_sha256=digest(token),
            revoked_at__isnull=True,
            practitioner__is_active=True,
            practitioner__user__is_active=True,
        )
        .first()
    )
    if feed is not None:
        feed.last_used_at = timezone.now()
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=feed.last_used_at)
    return feed


EVENT_FIELDS = [
    *("pk", "starts_at", "ends_at", "status", "revision", "created_at"),
    *("client__first_name", "client__last_name", "room__name"),
]


def appointments_of(feed: CalendarFeed, now: datetime):
    """The feed's appointments as rows of EVENT_FIELDS and `last_modified` (a few hundred:
    model instances of appointments, clients and rooms cost more than writing the feed)."""
    practitioner = feed.practitioner
    changed = Appointment.history.filter(id=OuterRef("pk")).order_by("-history_date")
    return (
        Appointment.objects.for_clinic(practitioner.clinic_id)
        .filter(practitioner=practitioner, starts_at__gte=now - PAST, starts_at__lt=now + AHEAD)
        .exclude(status=Appointment.Status.CANCELLED)
        .annotate(last_modified=Subquery(changed.values("history_date")[:1]))
        .order_by("starts_at", "pk")
        .values(*EVENT_FIELDS, "last_modified")
    )


def initials(first_name: str, last_name: str) -> str:
    """“M.H.” for Margaret Hale: all the feed says of who is coming."""
    return "".join(f"{name.strip()[:1].upper()}." for name in (first_name, last_name))


# RFC 5545 3.3.11 allows no control character in TEXT but the tab; a calendar app may
# refuse the whole feed over one (a room name pasted with a stray escape, say).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line
    breaks escaped, other control characters left out."""
    for char, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,")):
        value = value.replace(char, escaped)
    value = value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    return CONTROL.sub("", value)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _folded(line: str) -> str:
    """RFC 5545 3.1: at most 75 octets a line, continued on the next after a space, never
    inside a character's UTF-8 bytes."""
    if len(line.encode()) <= 75:
        return line
    parts, part, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not parts else 74):
            parts.append(part)
            part, size = "", 0
        part += char
        size += width
    return "\r\n ".join([*parts, part])


def event(appointment: dict, *, host: str, now: datetime) -> str:
    """One VEVENT, written here rather than through icalendar's objects, which took
    0.3 ms an event (100 ms for a feed of 300): the properties are few and fixed, and
    the tests read the feed back with icalendar."""
    status = Appointment.Status(appointment["status"])
    summary = initials(appointment["client__first_name"], appointment["client__last_name"])
    if status != Appointment.Status.BOOKED:
        summary += f" ({status.label.lower()})"
    uid = f"appointment-{appointment['pk']}@{host}"
    happened = appointment["last_modified"] or appointment["created_at"]
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(uid)}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(appointment['starts_at'])}",
        f"DTEND:{_utc(appointment['ends_at'])}",
        f"SEQUENCE:{appointment['revision'] - 1}",
        f"LAST-MODIFIED:{_utc(happened)}",
        f"SUMMARY:{_text(summary)}",
        f"DESCRIPTION:{_text(f'Status: {status.label}')}",
    ]
    if appointment["room__name"] is not None:
        lines.append(f"LOCATION:{_text(appointment['room__name'])}")
    lines += ["STATUS:CONFIRMED", "CLASS:PRIVATE", "TRANSP:OPAQUE", "END:VEVENT"]
    return "".join(f"{_folded(line)}\r\n" for line in lines)


def calendar(feed: CalendarFeed, *, host: str) -> bytes:
    """The feed's iCalendar text."""
    now = timezone.now()
    practitioner = feed.practitioner
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Acupressure clinic//Diary//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = f"{practitioner.display_name}, {practitioner.clinic.name}"
    cal.add("x-wr-calname", CONTROL.sub("", name))  # icalendar escapes, but passes these
    cal.add("refresh-interval", timedelta(minutes=30), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT30M")
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    events = "".join(
        event(appointment, host=host, now=now) for appointment in appointments_of(feed, now)
    )
    return b"".join([head, events.encode(), b"END:VCALENDAR", end])
