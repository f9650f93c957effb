"""Signing a session makes it read-only; after that it changes only by amendment, which
keeps the original values on record."""

from django.urls import reverse

from sessions.models import Amendment, TreatmentSession

from .page_support import amendment_form, session_form, sign_url


def test_signing_makes_it_read_only(as_practitioner, recorded_session, practitioner):
    session = recorded_session
    as_practitioner.post(sign_url(session))
    session.refresh_from_db()
    assert session.signed_by == practitioner and session.signed_at
    edit = reverse("sessions:session-update", args=[session.pk])
    response = as_practitioner.get(edit)
    assert response.status_code == 302
    assert response.url == reverse("sessions:session-detail", args=[session.pk])
    response = as_practitioner.post(edit, session_form(pain_before="1"), follow=True)
    assert "signed and can no longer be edited" in response.content.decode()
    session.refresh_from_db()
    assert session.pain_before == 7


def test_an_unfinished_session_cannot_be_signed(as_practitioner, recorded_session):
    session = recorded_session
    TreatmentSession.objects.filter(pk=session.pk).update(pain_after=None)
    response = as_practitioner.post(sign_url(session), follow=True)
    assert "Record the pain after treatment before signing." in response.content.decode()
    session.refresh_from_db()
    assert session.signed_at is None


def test_a_caution_that_appears_after_recording_blocks_signing(
    as_practitioner, catalogue, create_url, client_record
):
    as_practitioner.post(create_url, session_form(**{"points-1-point": "SP6"}))
    session = TreatmentSession.objects.get()
    client_record.health_flags = ["pregnancy"]
    client_record.save()
    response = as_practitioner.post(sign_url(session), follow=True)
    assert "health flags changed" in response.content.decode()
    session.refresh_from_db()
    assert not session.is_signed


def test_an_amendment_keeps_the_original_visible(as_practitioner, recorded_session, practitioner):
    session = recorded_session
    as_practitioner.post(sign_url(session))
    session.refresh_from_db()  # as the amend page opens it, signed
    url = reverse("sessions:session-amend", args=[session.pk])
    form = amendment_form(session, reason="Typed the wrong score", pain_after="2")
    response = as_practitioner.post(url, form)
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert amendment.amended_by == practitioner
    assert amendment.changes == {"pain_after": {"old": 3, "new": 2}}
    session.refresh_from_db()
    assert session.pain_after == 2
    page = as_practitioner.get(reverse("sessions:session-detail", args=[session.pk]))
    html = page.content.decode()
    assert "Typed the wrong score" in html and "“3” → “2”" in html


def test_an_amendment_needs_a_reason_and_a_change(as_practitioner, recorded_session):
    session = recorded_session
    as_practitioner.post(sign_url(session))
    session.refresh_from_db()  # as the amend page opens it, signed
    url = reverse("sessions:session-amend", args=[session.pk])
    response = as_practitioner.post(url, amendment_form(session))
    assert "reason" in response.context["form"].errors
    response = as_practitioner.post(url, amendment_form(session, reason="Checking"))
    assert "The amendment changes nothing." in response.content.decode()
    assert Amendment.objects.count() == 0
