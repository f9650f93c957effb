"""Schemathesis over every operation the OpenAPI schema (/api/schema/) has when the test runs,
as a practitioner with records in the database: no answer is a server error, and every
answer has a documented status, content type, headers and body shape. Generated path
parameters are often the practitioner's own records, so the answers are not all 404s.

Bounded (EXAMPLES per operation) to a few minutes; marked `schemathesis` and run in CI's
PostgreSQL pass only (`make test` leaves it out)."""

from datetime import datetime, time, timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from catalogue.models import CautionRule, Condition, HealthFlag, Point, PressureTool, WarningSign
from homecare import services as homecare
from homecare.rows import ItemRow
from scheduling import booking, plans
from scheduling.models import AppointmentType, Room, WorkingHours
from sessions import services as sessions
from sessions.rows import PointRow

from .conftest import PASSWORD
from .factories import (
    CautionFactory,
    ClientFactory,
    ConditionFactory,
    IndicationFactory,
    PointFactory,
)

pytestmark = pytest.mark.schemathesis

EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def records(practitioner):
    """The practitioner's clients, a draft and a signed session, a draft and an issued sheet,
    and the catalogue they use; by the first segment of an API path, the keys of each."""
    point = PointFactory(code="LI4")
    PointFactory(default_tool=None, self_care=False)  # answered with "default_tool": null
    IndicationFactory(point=point, condition=ConditionFactory(name="Neck pain"))
    client = ClientFactory(clinic=practitioner.clinic, consent_given_at=timezone.now())
    ClientFactory(clinic=practitioner.clinic, date_of_birth=None, email="")

    def session():
        return sessions.record_session(
            client=client,
            practitioner=practitioner,
            started_at=timezone.now() - timedelta(days=1),
            pain_before=6,
            pain_after=3,
            outcome="improved",
            points=[PointRow(point=point)],
        )

    drafts = [session(), sessions.sign_session(session=session(), practitioner=practitioner)]
    sheets = [
        homecare.create_sheet(
            client=client, practitioner=practitioner, items=[ItemRow(point=point)]
        )
        for _ in range(2)
    ]
    homecare.issue_sheet(sheet=sheets[1], practitioner=practitioner)
    CautionFactory(point=point, flag="pregnancy")
    sign = WarningSign.objects.create(
        key="test-any-sign",
        sign="A test sign",
        client_wording="You feel unwell.",
        urgency="same_day",
        any_condition=True,
    )
    diary = diary_records(practitioner, client)
    return {
        **diary,
        "clients": list(practitioner.clinic.clients.values_list("pk", flat=True)),
        "sessions": [draft.pk for draft in drafts],
        "homecare-sheets": [sheet.pk for sheet in sheets],
        "points": list(Point.objects.values_list("code", flat=True)),
        "conditions": list(Condition.objects.values_list("slug", flat=True)),
        "tools": list(PressureTool.objects.values_list("slug", flat=True)),
        "health-flags": list(HealthFlag.objects.values_list("code", flat=True)),
        "caution-rules": list(CautionRule.objects.values_list("key", flat=True)),
        "warning-signs": [sign.key],
    }


def diary_records(practitioner, client):
    """Issue 15's diary: a type, a room, working hours, an appointment, a plan."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    starts_at = timezone.make_aware(datetime.combine(tomorrow, time(10)))
    kind = AppointmentType.objects.create(clinic=practitioner.clinic, name="Follow-up", minutes=45)
    room = Room.objects.create(clinic=practitioner.clinic, name="Room 1")
    stretch = WorkingHours.objects.create(
        practitioner=practitioner, weekday=tomorrow.weekday(), starts=time(8), ends=time(18)
    )
    appointment = booking.book_appointment(
        client=client,
        practitioner=practitioner,
        starts_at=starts_at,
        appointment_type=kind,
        room=room,
        booked_by=practitioner,
    )
    plan = plans.start_plan(
        client=client,
        practitioner=practitioner,
        created_by=practitioner,
        goal="Sleep through the night",
        sessions_planned=3,
        interval_days=7,
        first_starts_at=starts_at + timedelta(hours=2),
        appointment_type=kind,
        review_at=[2],
    )
    return {
        "appointments": [appointment.pk, *plan.appointments.values_list("pk", flat=True)],
        "appointment-types": [kind.pk],
        "rooms": [room.pk],
        "working-hours": [stretch.pk],
        "plans": [plan.pk],
    }


class Token:
    """The practitioner's token, logged in for anew when an answer is a 401: an operation
    may have revoked it. Logged in through the app itself (Django's test client would put
    back the signal that closes the test's connection), from an address of its own, which
    the generated logins' failures do not slow down."""

    def __init__(self, app, user):
        self.client, self.user, self.key = Client(app), user, None

    def headers(self):
        if self.key is None:
            response = self.client.post(
                reverse("api:token"),
                json={"username": self.user.username, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "127.0.0.2"},
            )
            assert response.status_code == 200, response.get_data()
            self.key = response.json["token"]
        return {"Authorization": f"Token {self.key}"}

    def seen(self, response):
        if response.status_code == 401:
            self.key = None


@pytest.fixture
def app():
    """The WSGI app, as a server runs it, inside the test's transaction: Django's own
    test client likewise keeps a request from closing the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(app, practitioner):
    return Token(app, practitioner.user)


@pytest.fixture
def api_schema(db, app, records, token):
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", app, headers=token.headers()
    )

    @schema.hook("flatmap_path_parameters")
    def own_records_too(context, path_parameters):
        keys = records.get(context.operation.path.split("/")[3], [])
        if not keys or not path_parameters or len(path_parameters) != 1:
            return st.just(path_parameters)
        (name,) = path_parameters
        own = st.sampled_from(keys).map(lambda key: {name: key})
        return st.one_of(st.just(path_parameters), own, own)

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, token):
    token.seen(case.call_and_validate(headers=token.headers(), checks=CHECKS))
