"""The diary's list of the day's appointments, written in Python (scheduling/day_list.py),
against the template it was before: the same markup, byte for byte."""

import zoneinfo
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scheduling.day_list import day_list
from scheduling.models import Appointment, AppointmentType, Room

from ..factories import ClientFactory, PractitionerFactory
from .test_appointment_pages import book

# The list as the diary's template wrote it until it moved to Python.
TEMPLATE_LIST = Template((Path(__file__).parent / "day_list_reference.html").read_text().strip())
DAY = "2026-03-28"
OUT_OF_HOURS = {"confirm_outside_hours": True}


def at(hour):
    return datetime(2026, 3, 28, hour, 5, tzinfo=UTC)


def of_the_day(clinic):
    return Appointment.objects.for_clinic(clinic)  # the test's clinic has that day's alone


def through_the_template(appointments, *, whole_clinic):
    shown = None if whole_clinic else "someone"
    return TEMPLATE_LIST.render(Context({"listed": appointments, "shown": shown}))


@pytest.fixture
def varied_day(practitioner):
    """Appointments with and without a type, a room and a cancel reason, for clients with and
    without a preferred name, with text that must be escaped, one past midnight UTC."""
    clinic = practitioner.clinic
    odd = PractitionerFactory(clinic=clinic, display_name="Dr <i>O'Neil</i> & co")
    kind = AppointmentType.objects.create(clinic=clinic, name="Follow-up <45>", minutes=45)
    room = Room.objects.create(clinic=clinic, name='Room "A" & B')
    maggie = ClientFactory(
        clinic=clinic, first_name="Margaret", last_name="Hale", preferred_name="Maggie"
    )
    plain = ClientFactory(clinic=clinic, first_name="Zoë", last_name="<Ng>", preferred_name="")
    book(maggie, practitioner, at(9), appointment_type=kind, room=room, **OUT_OF_HOURS)
    book(plain, odd, at(10), **OUT_OF_HOURS)
    cancelled = book(plain, practitioner, at(23), minutes=90, room=room, **OUT_OF_HOURS)
    Appointment.objects.filter(pk=cancelled.pk).update(
        status=Appointment.Status.CANCELLED, cancel_reason="Client <unwell> & away"
    )
    return clinic


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "Pacific/Auckland"])
@pytest.mark.parametrize("whole_clinic", [True, False])
def test_the_list_is_the_templates_markup(varied_day, zone, whole_clinic):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        listed = day_list(of_the_day(varied_day), whole_clinic=whole_clinic)
        assert listed == through_the_template(of_the_day(varied_day), whole_clinic=whole_clinic)
    assert listed.count("<li ") == 3
    assert "Maggie Hale (Margaret) · Follow-up &lt;45&gt;</a>" in listed
    assert "Room &quot;A&quot; &amp; B · Cancelled (Client &lt;unwell&gt; &amp; away)" in listed
    assert ("Dr &lt;i&gt;O&#x27;Neil&lt;/i&gt; &amp; co · Booked" in listed) == whole_clinic


def test_the_times_are_local(varied_day):
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):  # UTC+13 in March
        listed = day_list(of_the_day(varied_day), whole_clinic=True)
    assert ">22:05–22:50 Maggie Hale" in listed
    assert ">12:05–13:35 Zoë &lt;Ng&gt;<" in listed  # 23:05 UTC, the next day here


def test_an_empty_day(practitioner):
    listed = day_list(of_the_day(practitioner.clinic), whole_clinic=True)
    assert listed == through_the_template(of_the_day(practitioner.clinic), whole_clinic=True)
    assert "No appointments this day." in listed


def test_one_query_for_the_day(varied_day):
    with CaptureQueriesContext(connection) as queries:
        day_list(of_the_day(varied_day), whole_clinic=True)
    assert len(queries) == 1


def test_the_diary_shows_the_list(as_practitioner, varied_day):
    page = as_practitioner.get(reverse("scheduling:calendar"), {"view": "day", "date": DAY})
    assert page.status_code == 200
    assert "Maggie Hale (Margaret) · Follow-up &lt;45&gt;</a>" in page.content.decode()
