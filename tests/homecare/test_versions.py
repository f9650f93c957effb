"""An issued sheet has one next version: asking again, or twice at once, gives that one."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from homecare import services
from homecare.models import HomeCareSheet

from .api_support import a_sheet, detail


@pytest.fixture
def issued(practitioner, client_record):
    return services.issue_sheet(
        sheet=a_sheet(client_record, practitioner), practitioner=practitioner
    )


def versions_of(sheet):
    return list(HomeCareSheet.objects.filter(supersedes=sheet).values_list("version", flat=True))


def test_the_page_makes_one_next_version_and_then_opens_it(as_practitioner, issued):
    url = reverse("homecare:sheet-new-version", args=[issued.pk])
    first = as_practitioner.post(url, follow=True)
    again = as_practitioner.post(url, follow=True)
    assert versions_of(issued) == [2]
    draft = HomeCareSheet.objects.get(supersedes=issued)
    assert first.redirect_chain[-1][0] == reverse("homecare:sheet-update", args=[draft.pk])
    assert again.redirect_chain[-1][0] == reverse("homecare:sheet-update", args=[draft.pk])
    assert "Version 2 of this sheet exists already" in again.content.decode()


def test_the_api_answers_201_then_200_with_the_same_draft(api_as_practitioner, issued):
    first = api_as_practitioner.post(detail(issued, "new-version"))
    again = api_as_practitioner.post(detail(issued, "new-version"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["version"] == 2
    assert versions_of(issued) == [2]


def test_the_database_refuses_a_second_successor(practitioner, issued):
    services.new_version(sheet=issued, practitioner=practitioner)
    with pytest.raises(IntegrityError), transaction.atomic():
        HomeCareSheet.objects.create(
            client=issued.client, created_by=practitioner, version=2, supersedes=issued
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database is in memory on SQLite; PostgreSQL serves threads for real",
)
def test_two_requests_at_once_make_one_version(practitioner, client_record):
    issued = services.issue_sheet(
        sheet=a_sheet(client_record, practitioner), practitioner=practitioner
    )
    start, results = threading.Barrier(2), []

    def ask():
        try:
            start.wait()
            results.append(services.new_version(sheet=issued, practitioner=practitioner))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made for _, made in results) == [False, True]
    assert len({copy.pk for copy, _ in results}) == 1
    assert versions_of(issued) == [2]
