"""The session page's sheet button opens the draft already made from the session; the
practitioner asks for another sheet with a second, smaller button (`another=1`)."""

import threading

import pytest
from django.db import connection
from django.urls import resolve, reverse

from homecare import services
from homecare.models import HomeCareSheet
from tests.sessions.session_api_support import a_session


@pytest.fixture
def session(practitioner, client_record):
    return a_session(client_record, practitioner)


def click(http, session, **form):
    return http.post(reverse("homecare:sheet-from-session", args=[session.pk]), form)


def opened(response):
    """The sheet a click opened: the one whose edit page it redirects to."""
    assert response.status_code == 302
    match = resolve(response["Location"])
    assert match.view_name == "homecare:sheet-update"
    return HomeCareSheet.objects.get(pk=match.kwargs["pk"])


def edit_url(sheet):
    return reverse("homecare:sheet-update", args=[sheet.pk])


def test_a_second_click_opens_the_draft_made_by_the_first(as_practitioner, session):
    first = click(as_practitioner, session)
    draft = HomeCareSheet.objects.get()
    again = as_practitioner.post(
        reverse("homecare:sheet-from-session", args=[session.pk]), follow=True
    )
    assert first["Location"] == edit_url(draft)
    assert again.redirect_chain == [(edit_url(draft), 302)]
    assert HomeCareSheet.objects.count() == 1
    assert "Your draft sheet from this session is open." in again.content.decode()


def test_make_another_sheet_makes_a_second_draft(as_practitioner, session):
    first = opened(click(as_practitioner, session))
    another = opened(click(as_practitioner, session, another="1"))
    assert another != first
    assert (another.session, first.session) == (session, session)
    assert opened(click(as_practitioner, session)) == another  # the newest draft


def test_an_issued_sheet_is_not_opened_again(as_practitioner, practitioner, session):
    issued = services.issue_sheet(
        sheet=opened(click(as_practitioner, session)), practitioner=practitioner
    )
    draft = opened(click(as_practitioner, session))
    assert draft != issued and not draft.is_issued
    assert opened(click(as_practitioner, session)) == draft
    assert HomeCareSheet.objects.count() == 2


def test_the_session_page_offers_another_sheet_only_when_a_draft_exists(as_practitioner, session):
    page = reverse("sessions:session-detail", args=[session.pk])
    before = as_practitioner.get(page).content.decode()
    click(as_practitioner, session)
    after = as_practitioner.get(page).content.decode()
    assert "Home-care sheet</button>" in before
    assert "Make another sheet" not in before and 'name="another"' not in before
    assert "Open draft sheet</button>" in after
    assert '<input type="hidden" name="another" value="1">' in after
    assert "Make another sheet</button>" in after


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database is in memory on SQLite; PostgreSQL serves threads for real",
)
def test_two_clicks_at_once_make_one_draft(practitioner, client_record):
    session = a_session(client_record, practitioner)
    start, results = threading.Barrier(2), []

    def make():
        try:
            start.wait()
            results.append(
                services.sheet_from_session(
                    session=session, practitioner=practitioner, reuse_draft=True
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=make) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made.reused for made in results) == [False, True]
    assert len({made.sheet.pk for made in results}) == 1
    assert HomeCareSheet.objects.count() == 1
