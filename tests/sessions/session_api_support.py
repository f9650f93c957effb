"""Helpers shared by the sessions API tests."""

import datetime

from django.utils import timezone

from sessions.models import Amendment, TreatedPoint, TreatmentSession

from ..factories import (
    PointFactory,
    TreatedPointFactory,
    TreatmentSessionFactory,
)

LIST = "/api/v1/sessions/"

# SP6 is on the lower leg, where pregnancy asks for light pressure only: a row at
# point_row()'s moderate pressure needs this caution acknowledged by its label.
SP6_IN_PREGNANCY = "SP6 Pregnancy: light pressure only (lower leg)"


def detail(session):
    return f"{LIST}{session.pk}/"


def an_hour_ago():
    return (timezone.now() - datetime.timedelta(hours=1)).isoformat()


def point_row(**overrides):
    return {
        "point": "LI4",
        "side": "left",
        "tool": "thumb",
        "duration_seconds": 180,
        "pressure": "moderate",
        "response": "relief",
        **overrides,
    }


def new_session(for_client, **overrides):
    return {
        "client": for_client.pk,
        "started_at": an_hour_ago(),
        "conditions": ["neck-pain"],
        "complaint": "Stiff neck after driving",
        "pain_before": 7,
        "pain_after": 3,
        "outcome": "improved",
        "notes": "Responded well.",
        "follow_up": "Review in a week.",
        "points": [point_row()],
        **overrides,
    }


def saved_rows():
    return TreatmentSession.objects.count(), TreatedPoint.objects.count()


def everything_saved():
    signed = TreatmentSession.objects.signed().count()
    return (*saved_rows(), signed, Amendment.objects.count())


def error_at(response, *path):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()
    for key in path:
        error = error[key]
    return " ".join(error)


def a_session(client, practitioner, *, signed=False, points=1, **fields):
    """A finished session with its points, straight from the factories."""
    fields.setdefault("started_at", timezone.now() - datetime.timedelta(days=1))
    session = TreatmentSessionFactory(
        client=client,
        practitioner=practitioner,
        signed_at=timezone.now() if signed else None,
        signed_by=practitioner if signed else None,
        **fields,
    )
    for position in range(points):
        point = PointFactory()
        TreatedPointFactory(
            session=session, position=position, point=point, tool=point.default_tool
        )
    return session
