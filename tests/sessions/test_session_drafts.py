"""Editing a session that is not signed yet: it is edited in place, with history."""

from django.urls import reverse

from sessions.models import TreatedPoint

from .page_support import session_form


def test_editing_a_draft_replaces_its_points_and_keeps_history(as_practitioner, recorded_session):
    url = reverse("sessions:session-update", args=[recorded_session.pk])
    data = session_form(
        revision=recorded_session.revision, **{"points-TOTAL_FORMS": "1", "points-0-point": "SI3"}
    )
    assert as_practitioner.post(url, data).status_code == 302
    assert [tp.point.code for tp in recorded_session.treated_points.all()] == ["SI3"]
    assert TreatedPoint.history.filter(history_type="-").count() == 2


def test_saving_a_draft_without_changing_its_points_leaves_their_history_alone(
    as_practitioner, recorded_session
):
    rows_before = TreatedPoint.history.count()
    url = reverse("sessions:session-update", args=[recorded_session.pk])
    response = as_practitioner.post(
        url, session_form(notes="Only the notes changed", revision=recorded_session.revision)
    )
    assert response.status_code == 302
    assert TreatedPoint.history.count() == rows_before
    recorded_session.refresh_from_db()
    assert recorded_session.notes == "Only the notes changed"


def test_editing_a_draft_with_a_bad_row_saves_nothing(as_practitioner, recorded_session):
    url = reverse("sessions:session-update", args=[recorded_session.pk])
    response = as_practitioner.post(
        url,
        session_form(
            notes="Changed",
            revision=recorded_session.revision,
            **{"points-1-duration_seconds": "0"},
        ),
    )
    assert "duration_seconds" in response.context["formset"].forms[1].errors
    assert response.context["form"]["notes"].value() == "Changed"
    assert "Changed" in response.content.decode()
    recorded_session.refresh_from_db()
    assert recorded_session.notes == "Responded well."
    assert [tp.point.code for tp in recorded_session.treated_points.all()] == ["LI4", "GB20"]


def test_a_draft_is_edited_not_amended(as_practitioner, recorded_session):
    response = as_practitioner.get(reverse("sessions:session-amend", args=[recorded_session.pk]))
    assert response.status_code == 302
    assert response.url == reverse("sessions:session-update", args=[recorded_session.pk])
