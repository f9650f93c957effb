"""The dashboard's appointments today, written in Python (scheduling/today_list.py), against
the template they were before: the same markup, byte for byte, for every status, with and
without a type, a room, a plan, health flags, a last session and a session of their own."""

import itertools
import zoneinfo
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from clinic.models import Client
from scheduling.models import Appointment, AppointmentType, Room, TreatmentPlan
from scheduling.today_list import today_items

# The list as the dashboard's template wrote it until it moved to Python.
TEMPLATE_LIST = Template((Path(__file__).parent / "today_list_reference.html").read_text().strip())
TOKEN = "a-token<&>"
START = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)


def through_the_template(day, csrf_token=TOKEN):
    return TEMPLATE_LIST.render(Context({"today": day, "csrf_token": csrf_token}))


def a_day():
    """One appointment for each mix of status, extras and flags (unsaved: markup only)."""
    kind = AppointmentType(pk=3, name="Follow-up <45>")
    room = Room(pk=4, name='Room "A" & B')
    plan = TreatmentPlan(pk=5, sessions_planned=6)
    statuses = list(Appointment.Status)
    flag_mixes = [([], ""), (["Pregnancy", "Blood <thinners>"], ""), ([], "Bruises & easily")]
    flag_mixes.append((["Pregnancy"], "Knee <replaced>"))
    day = []
    for number, (status, extras, flags, last) in enumerate(
        itertools.product(statuses, [False, True], flag_mixes, [False, True]), start=1
    ):
        labels, other = flags
        client = Client(
            pk=100 + number,
            first_name="Zoë",
            last_name=f"<Ng> {number}",
            preferred_name="Zo & Co" if number % 3 == 0 else "",
            health_flags_other=other,
        )
        appointment = Appointment(
            pk=number,
            client=client,
            status=status,
            starts_at=START + timedelta(minutes=30 * number),
            ends_at=START + timedelta(minutes=30 * number + 45),
            revision=number % 4 + 1,
            appointment_type=kind if extras else None,
            room=room if extras else None,
            plan=plan if extras else None,
            plan_number=2 if extras else None,
            session_id=500 + number if extras and status == "completed" else None,
        )
        appointment.flag_labels = labels
        appointment.last_session_pk = 900 + number if last else None
        appointment.last_session_at = START - timedelta(days=number) if last else None
        day.append(appointment)
    return day


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "Pacific/Auckland"])
def test_the_list_is_the_templates_markup(zone):
    day = a_day()
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        listed = today_items(day, csrf_token=TOKEN)
        assert listed == through_the_template(day)
    assert listed.count('data-testid="today-appointment"') == len(day)
    assert listed.count(">Start session</a>") == sum(
        1 for a in day if a.is_open and not a.session_id
    )
    assert "Open session" in listed and "Undo no-show" in listed and "today-plan" in listed
    assert 'value="a-token&lt;&amp;&gt;"' in listed
    assert "Health flags: Pregnancy, Blood &lt;thinners&gt;</div>" in listed
    assert "Health flags: Pregnancy; Knee &lt;replaced&gt;</div>" in listed
    assert "Zo &amp; Co &lt;Ng&gt; 3 (Zoë)" in listed


@pytest.mark.filterwarnings("ignore:Calling format_html")  # Django's own {% csrf_token %}
def test_without_a_token_the_forms_have_none():
    day = a_day()
    for missing in (None, "NOTPROVIDED"):
        listed = today_items(day, csrf_token=missing)
        assert listed == through_the_template(day, csrf_token=missing)
        assert "csrfmiddlewaretoken" not in listed


def test_local_times_and_dates():
    day = a_day()[:1]
    day[0].last_session_pk, day[0].last_session_at = 7, START  # 23:30 UTC on 28 March
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):  # UTC+13 then
        listed = today_items(day, csrf_token=TOKEN)
    assert ">13:00–13:45</a>" in listed
    assert ">29 Mar 2026</a>" in listed
