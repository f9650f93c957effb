import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from catalogue.models import WarningSign
from clinic.access_log import AccessEvent
from letters import services
from letters.models import NeverDeleted, ReferralLetter

from .support import EMERGENCY_SIGN, SAME_DAY_SIGN, one_line, pdf_pages


def make_letter(session, practitioner):
    return services.letter_from_session(session=session, practitioner=practitioner)[0]


def test_it_makes_a_draft_from_the_session_page(as_practitioner, flagged_session):
    page = as_practitioner.get(reverse("sessions:session-detail", args=[flagged_session.pk]))
    make = reverse("letters:letter-from-session", args=[flagged_session.pk])
    assert make in page.content.decode()

    response = as_practitioner.post(make)

    letter = ReferralLetter.objects.get(session=flagged_session)
    assert response["Location"] == reverse("letters:letter-detail", args=[letter.pk])
    assert not letter.is_issued and letter.warning_signs == [EMERGENCY_SIGN, SAME_DAY_SIGN]
    detail = as_practitioner.get(response["Location"]).content.decode()
    assert reverse("letters:letter-issue", args=[letter.pk]) in detail
    assert WarningSign.objects.get(key=EMERGENCY_SIGN).sign in detail
    # Asked again, the session's one letter is opened, and the session page links to it.
    assert as_practitioner.post(make)["Location"] == response["Location"]
    assert ReferralLetter.objects.count() == 1
    page = as_practitioner.get(reverse("sessions:session-detail", args=[flagged_session.pk]))
    assert response["Location"] in page.content.decode()


def test_the_issued_pdf_holds_the_signs_points_dose_and_pain(
    as_practitioner, flagged_session, practitioner
):
    letter = make_letter(flagged_session, practitioner)
    as_practitioner.post(reverse("letters:letter-issue", args=[letter.pk]))

    letter.refresh_from_db()
    assert letter.is_issued and letter.issued_by == practitioner
    assert letter.pdf_sha256 == hashlib.sha256(bytes(letter.pdf)).hexdigest()
    response = as_practitioner.get(reverse("letters:letter-pdf", args=[letter.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(letter.pdf)
    for_client, for_doctor = (one_line(text) for text in pdf_pages(response.content))
    emergency, same_day = (WarningSign.objects.get(key=k) for k in (EMERGENCY_SIGN, SAME_DAY_SIGN))
    # The client's page: what was found in their words, how soon, not a doctor.
    assert "Please see your doctor" in for_client
    assert one_line(emergency.client_wording) in for_client
    assert one_line(same_day.client_wording) in for_client
    assert "Call an emergency number now. Do not wait." in for_client
    assert "See a doctor today." in for_client
    assert "does not take the place of a doctor" in for_client
    assert "Draft" not in for_client
    # The doctor's page: the reason, the points with side, tool, seconds and pressure,
    # the pain before and after, the date and who treated where.
    assert one_line(emergency.sign) in for_doctor and one_line(same_day.sign) in for_doctor
    assert "Call an emergency number now" in for_doctor and "See a doctor today" in for_doctor
    assert "BL23" in for_doctor and "Both Thumb 90 s Moderate" in for_doctor
    assert "BL40" in for_doctor and "Left Fingertip 45 s Light" in for_doctor
    assert "before 7, after 2" in for_doctor
    assert f"{flagged_session.started_at:%Y}" in for_doctor
    assert practitioner.display_name in for_doctor and practitioner.clinic.name in for_doctor
    if practitioner.qualification:
        assert practitioner.qualification in for_doctor


def test_a_draft_is_a_marked_preview_that_stores_nothing(
    as_practitioner, flagged_session, practitioner
):
    letter = make_letter(flagged_session, practitioner)
    response = as_practitioner.get(reverse("letters:letter-pdf", args=[letter.pk]))
    pages = pdf_pages(response.content)
    assert len(pages) == 2 and all("Draft: not issued" in page for page in pages)
    letter.refresh_from_db()
    assert not letter.is_issued and letter.pdf is None


def test_an_issued_letter_never_changes(as_practitioner, flagged_session, practitioner):
    letter = services.issue_letter(
        letter=make_letter(flagged_session, practitioner), practitioner=practitioner
    )
    stored = bytes(letter.pdf)
    with pytest.raises(ValidationError, match="issued and cannot change"):
        services.issue_letter(letter=letter, practitioner=practitioner)
    # The session changed afterwards: the letter's PDF is still the one issued.
    type(flagged_session).objects.filter(pk=flagged_session.pk).update(pain_after=9)
    served = as_practitioner.get(reverse("letters:letter-pdf", args=[letter.pk])).content
    assert served == stored
    assert [h.history_type for h in letter.history.order_by("history_id")] == ["+", "~"]
    with pytest.raises(NeverDeleted):
        letter.delete()
    with pytest.raises(NeverDeleted):
        ReferralLetter.objects.all().delete()


def test_a_session_without_a_warning_sign_offers_no_letter_and_refuses_one(
    as_practitioner, plain_session, practitioner
):
    page = as_practitioner.get(reverse("sessions:session-detail", args=[plain_session.pk]))
    make = reverse("letters:letter-from-session", args=[plain_session.pk])
    assert make not in page.content.decode() and 'data-testid="letter"' not in page.content.decode()

    response = as_practitioner.post(make, follow=True)

    assert not ReferralLetter.objects.exists()
    assert "found no warning sign" in response.content.decode()
    with pytest.raises(ValidationError, match="found no warning sign"):
        make_letter(plain_session, practitioner)


def test_a_draft_whose_session_lost_its_sign_cannot_be_issued(
    as_practitioner, flagged_session, practitioner
):
    letter = make_letter(flagged_session, practitioner)
    type(flagged_session).objects.filter(pk=flagged_session.pk).update(check_in_found=[])
    response = as_practitioner.post(reverse("letters:letter-issue", args=[letter.pk]), follow=True)
    assert "found no warning sign" in response.content.decode()
    letter.refresh_from_db()
    assert not letter.is_issued


def test_only_the_treating_practitioner_makes_and_issues(
    client, flagged_session, practitioner, colleague
):
    letter = make_letter(flagged_session, practitioner)
    with pytest.raises(PermissionDenied, match="Only Ana Duarte, who recorded this session"):
        services.issue_letter(letter=letter, practitioner=colleague)
    client.force_login(colleague.user)
    detail = client.get(reverse("letters:letter-detail", args=[letter.pk])).content.decode()
    assert reverse("letters:letter-issue", args=[letter.pk]) not in detail
    assert "can issue its letter" in detail


def test_reads_are_logged(as_practitioner, flagged_session, practitioner):
    letter = make_letter(flagged_session, practitioner)
    as_practitioner.get(reverse("letters:letter-detail", args=[letter.pk]))
    as_practitioner.get(reverse("letters:letter-pdf", args=[letter.pk]))
    logged = AccessEvent.objects.filter(record_id=letter.pk).order_by("pk")
    assert [(e.record_type, e.client_id, e.user_id) for e in logged] == [
        (AccessEvent.RecordType.LETTER, letter.client_id, practitioner.user_id),
        (AccessEvent.RecordType.LETTER_PDF, letter.client_id, practitioner.user_id),
    ]
