"""A practitioner's calendar feed: made on their page (its address shown once), read by a
calendar app with no login, holding their own appointments with initials only and nothing
of anyone's health, and gone for good when revoked."""

import hashlib
import re
from datetime import UTC, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from scheduling import booking
from scheduling.models import AppointmentType, CalendarFeed
from tests.conftest import logged_in
from tests.factories import ClientFactory

NOTES = "Discussed the miscarriage last spring; press gently."
HISTORY = "On warfarin since the stroke."
CLINICAL_TYPE = "Fertility support"
SECRETS = [NOTES, HISTORY, CLINICAL_TYPE, "Margaret", "Hale", "pregnancy", "Pregnancy", "warfarin"]


def book(client, practitioner, starts_at, **options):
    return booking.book_appointment(
        client=client,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        booked_by=practitioner,
        confirm_outside_hours=True,
        **options,
    )


def in_days(days, hour=10):
    return (timezone.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def make_feed(http):
    """Press "Make a feed address": the address shown, and its path."""
    response = http.post(reverse("scheduling:feed"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    address = re.search(
        r'value="(http://testserver/diary/feed/[^"]+\.ics)"', response.content.decode()
    )
    assert address, "the new address is shown"
    return address[1].removeprefix("http://testserver")


@pytest.fixture
def margaret(client_record):
    client_record.health_flags = ["pregnancy"]
    client_record.health_history = HISTORY
    client_record.save()
    return client_record


def test_the_address_is_shown_once_and_only_its_digest_kept(as_practitioner, practitioner):
    path = make_feed(as_practitioner)
    token = path.removeprefix("/diary/feed/").removesuffix(".ics")
    feed = CalendarFeed.objects.get(practitioner=practitioner)
    assert feed.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(CalendarFeed.objects.values().get())

    page = as_practitioner.get(reverse("scheduling:feed")).content.decode()
    assert token not in page
    assert 'last read by a calendar <span class="text-body-secondary">never</span>' in page

    assert as_practitioner.get(path).status_code == 200
    feed.refresh_from_db()
    assert feed.last_used_at is not None
    page = as_practitioner.get(reverse("scheduling:feed")).content.decode()
    assert (
        f"last read by a calendar {timezone.localtime(feed.last_used_at):%-d %b %Y, %H:%M}" in page
    )


def test_the_feed_holds_initials_times_rooms_and_status_only(
    client, as_practitioner, practitioner, colleague, margaret, room
):
    fertility = AppointmentType.objects.create(
        clinic=practitioner.clinic, name=CLINICAL_TYPE, minutes=45
    )
    coming = book(
        margaret, practitioner, in_days(2), room=room, notes=NOTES, appointment_type=fertility
    )
    booking.change_appointment(  # moved once: SEQUENCE 1
        appointment=coming,
        changed_by=practitioner,
        expected_revision=None,
        starts_at=in_days(3),
        ends_at=in_days(3) + timedelta(minutes=45),
        confirm_outside_hours=True,
    )
    arrived = book(margaret, practitioner, in_days(-1))
    booking.set_status(appointment=arrived, changed_by=practitioner, status="no_show")
    cancelled = book(margaret, practitioner, in_days(4))
    booking.set_status(
        appointment=cancelled, changed_by=practitioner, status="cancelled", reason="Ill"
    )
    book(margaret, practitioner, in_days(-40))  # out of the feed's range
    book(margaret, practitioner, in_days(200))
    book(ClientFactory(clinic=practitioner.clinic), colleague, in_days(2, hour=14))  # not hers
    path = make_feed(as_practitioner)

    response = client.get(path)  # a calendar app: no login

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == f"Ana Duarte, {practitioner.clinic.name}"
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [
        f"appointment-{arrived.pk}@testserver",
        f"appointment-{coming.pk}@testserver",
    ]
    no_show, moved = events
    assert (str(no_show["SUMMARY"]), str(moved["SUMMARY"])) == ("M.H. (no-show)", "M.H.")
    assert str(moved["LOCATION"]) == "Room 1" and "LOCATION" not in no_show
    assert str(moved["DESCRIPTION"]) == "Status: Booked"
    assert moved.decoded("DTSTART") == in_days(3).astimezone(UTC)
    assert moved.decoded("DTEND") == (in_days(3) + timedelta(minutes=45)).astimezone(UTC)
    assert (moved["SEQUENCE"], no_show["SEQUENCE"]) == (1, 1)
    assert moved.decoded("LAST-MODIFIED") >= moved.decoded("DTSTAMP") - timedelta(minutes=1)
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", text)  # UTC


def test_a_revoked_feed_is_gone_for_good(client, as_practitioner, practitioner):
    first = make_feed(as_practitioner)
    second = make_feed(as_practitioner)  # a new address revokes the old
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200

    response = as_practitioner.post(reverse("scheduling:feed-revoke"))
    assert response.status_code == 302 and response["Location"] == reverse("scheduling:feed")
    assert client.get(second).status_code == 404
    assert client.get("/diary/feed/not-a-token.ics").status_code == 404
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()
    assert "You have no feed." in as_practitioner.get(reverse("scheduling:feed")).content.decode()


def test_an_inactive_practitioners_feed_answers_nothing(client, as_practitioner, practitioner):
    path = make_feed(as_practitioner)
    practitioner.is_active = False
    practitioner.save()
    assert client.get(path).status_code == 404


def test_a_disabled_login_closes_the_feed(client, as_practitioner, practitioner):
    """The account switched off (the practitioner left) but the profile not: no feed."""
    path = make_feed(as_practitioner)
    practitioner.user.is_active = False
    practitioner.user.save()
    assert client.get(path).status_code == 404


def test_each_practitioner_sees_their_own_feed_only(client, practitioner, colleague):
    make_feed(logged_in(client, practitioner.user))
    page = logged_in(client, colleague.user).get(reverse("scheduling:feed")).content.decode()
    assert "You have no feed." in page


@pytest.mark.parametrize("appointments", [1, 30])
def test_the_feed_is_read_in_a_fixed_number_of_queries(
    client, practitioner, margaret, room, appointments, django_assert_num_queries
):
    for day in range(appointments):
        book(margaret, practitioner, in_days(1 + day), room=room)
    path = make_feed(logged_in(client, practitioner.user))
    client.logout()
    # 1 the feed by its digest, with the practitioner and clinic; 2 its last use recorded;
    # 3 the appointments in range, with clients, rooms and each one's last change.
    with django_assert_num_queries(3):
        response = client.get(path)
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == appointments


def test_text_is_escaped_and_long_lines_folded_as_calendar_apps_read_them(
    client, practitioner, margaret, room
):
    # The feed's events are written by scheduling/feeds.py, not by icalendar: read back by
    # icalendar, every value is the one stored, and no line is longer than 75 octets.
    room.name = 'Salle thérapie, étage 2; côté jardin \\ "calme" — près de l’entrée ✓ 12'
    room.save()
    margaret.first_name, margaret.last_name = "Émilie", "Ørsted"
    margaret.save()
    booked = book(margaret, practitioner, in_days(2), room=room)
    path = make_feed(logged_in(client, practitioner.user))
    client.logout()

    content = client.get(path).content
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    assert b"\r\n " in content  # the room's line was folded
    unfolded = content.replace(b"\r\n ", b"").decode()
    assert 'LOCATION:Salle thérapie\\, étage 2\\; côté jardin \\\\ "calme"' in unfolded
    (read,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(read["LOCATION"]) == room.name
    assert str(read["SUMMARY"]) == "É.Ø."
    assert str(read["UID"]) == f"appointment-{booked.pk}@testserver"
    assert read.decoded("DTSTART") == booked.starts_at.astimezone(UTC)
    assert read.decoded("DTEND") == booked.ends_at.astimezone(UTC)
    assert (read["STATUS"], read["CLASS"], read["TRANSP"]) == ("CONFIRMED", "PRIVATE", "OPAQUE")


def test_control_characters_are_left_out_of_the_feed(client, practitioner, margaret, room):
    # A room name pasted with a terminal colour code and a vertical tab: RFC 5545 allows no
    # control character in TEXT, and a calendar app may refuse the whole feed over one.
    room.name = "Room\x1b[1m 2\x0b\x7f, upstairs"
    room.save()
    practitioner.display_name = "Ana\x1b Duarte"  # the calendar's name, written by icalendar
    practitioner.save()
    book(margaret, practitioner, in_days(2), room=room)
    path = make_feed(logged_in(client, practitioner.user))
    client.logout()

    content = client.get(path).content
    assert not [byte for byte in content if byte < 0x20 and byte not in b"\r\n"]
    assert b"\x7f" not in content
    (read,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(read["LOCATION"]) == "Room[1m 2, upstairs"
    assert b"X-WR-CALNAME:Ana Duarte" in content
