"""Helpers shared by the session page tests (the fixtures are in conftest.py)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from sessions.models import TreatedPoint, TreatmentSession


def session_form(**overrides):
    """What the session page posts for a finished session with LI4 and GB20."""
    data = {
        "started_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "conditions": ["neck-pain"],
        "complaint": "Stiff neck after driving",
        "pain_before": "7",
        "pain_after": "3",
        "outcome": "improved",
        "notes": "Responded well.",
        "adverse_reaction": "",
        "follow_up": "Review in a week.",
        "points-TOTAL_FORMS": "2",
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
        "points-0-point": "li4",
        "points-0-side": "left",
        "points-0-tool": "thumb",
        "points-0-duration_seconds": "180",
        "points-0-pressure": "moderate",
        "points-0-response": "relief",
        "points-1-point": "GB20",
        "points-1-side": "both",
        "points-1-tool": "",
        "points-1-duration_seconds": "",
        "points-1-pressure": "firm",
        "points-1-response": "tender",
    }
    data.update(overrides)
    return data


def nothing_saved():
    return TreatmentSession.objects.count() == 0 and TreatedPoint.objects.count() == 0


def amendment_form(session, **overrides):
    """The amend page's fields as they stand, changed by overrides."""
    return {
        "reason": "",
        "complaint": session.complaint,
        "pain_after": str(session.pain_after),
        "outcome": session.outcome,
        "notes": session.notes,
        "adverse_reaction": "",
        "follow_up": session.follow_up,
        "revision": str(session.revision),
        **overrides,
    }


def sign_url(session):
    return reverse("sessions:session-sign", args=[session.pk])
