"""A practitioner's private calendar feed: an iCalendar address with a secret in it, for a
phone's or a desktop's calendar app. The secret is shown once, when made; only its sha256 is
kept. Making a new one revokes the old, and a revoked feed answers 404 for good.

The feed holds the practitioner's appointments from PAST ago to AHEAD from now, but the
cancelled ones, each with the client's initials, the time, the room and the status: no
names, no notes, no appointment type (it may say what the client is treated for), nothing
of the client's health. A calendar app may keep it on a phone that is lost."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import icalendar
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from clinic.models import Client, Practitioner

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


def appointments_of(feed: CalendarFeed, now: datetime):
    practitioner = feed.practitioner
    changed = Appointment.history.filter(id=OuterRef("pk")).order_by("-history_date")
    return (
        Appointment.objects.for_clinic(practitioner.clinic_id)
        .filter(practitioner=practitioner, starts_at__gte=now - PAST, starts_at__lt=now + AHEAD)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("client", "room")
        .annotate(last_modified=Subquery(changed.values("history_date")[:1]))
        .order_by("starts_at", "pk")
    )


def initials(client: Client) -> str:
    """“M.H.” for Margaret Hale: all the feed says of who is coming."""
    return "".join(f"{name.strip()[:1].upper()}." for name in (client.first_name, client.last_name))


def event(appointment: Appointment, *, host: str, now: datetime) -> icalendar.Event:
    status = appointment.get_status_display()
    summary = initials(appointment.client)
    if appointment.status != Appointment.Status.BOOKED:
        summary += f" ({status.lower()})"
    happened = appointment.last_modified or appointment.created_at
    item = icalendar.Event()
    item.add("uid", f"appointment-{appointment.pk}@{host}")
    item.add("dtstamp", now.astimezone(UTC))
    item.add("dtstart", appointment.starts_at.astimezone(UTC))
    item.add("dtend", appointment.ends_at.astimezone(UTC))
    item.add("sequence", appointment.revision - 1)
    item.add("last-modified", happened.astimezone(UTC))
    item.add("summary", summary)
    item.add("description", f"Status: {status}")
    if appointment.room is not None:
        item.add("location", appointment.room.name)
    item.add("status", "CONFIRMED")
    item.add("class", "PRIVATE")
    item.add("transp", "OPAQUE")
    return item


def calendar(feed: CalendarFeed, *, host: str) -> bytes:
    """The feed's iCalendar text."""
    now = timezone.now()
    practitioner = feed.practitioner
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Acupressure clinic//Diary//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{practitioner.display_name}, {practitioner.clinic.name}")
    cal.add("refresh-interval", timedelta(minutes=30), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT30M")
    for appointment in appointments_of(feed, now):
        cal.add_component(event(appointment, host=host, now=now))
    return cal.to_ical()
