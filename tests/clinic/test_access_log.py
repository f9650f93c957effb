"""The access log: logins, logouts and failed logins are recorded; entries never change."""

import pytest
from django.urls import reverse

from clinic.access_log import AccessEvent, AppendOnly, record, record_view, viewers_of

from ..conftest import PASSWORD


@pytest.fixture
def ana(practitioner):
    assert practitioner.user.check_password(PASSWORD)
    return practitioner


def test_a_login_and_a_logout_are_recorded_with_the_address(client, ana):
    client.post(reverse("login"), {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")

    logout, login = AccessEvent.objects.all()
    assert (login.action, login.user, login.clinic, login.ip_address) == (
        AccessEvent.Action.LOGIN,
        ana.user,
        ana.clinic,
        "10.1.2.3",
    )
    assert (logout.action, logout.user) == (AccessEvent.Action.LOGOUT, ana.user)


def test_a_failed_login_is_recorded_with_the_name_typed(client, ana):
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})

    (failure,) = AccessEvent.objects.all()
    assert failure.action == AccessEvent.Action.LOGIN_FAILED
    assert failure.username == "nobody"
    assert failure.user is None


def test_a_name_with_a_nul_byte_is_stored_without_it(db):
    assert record(action=AccessEvent.Action.LOGIN_FAILED, username="ana\x00").username == "ana"


def test_an_entry_is_never_changed_or_deleted(ana, client_record):
    entry = record_view(
        None, client=client_record, record_type=AccessEvent.RecordType.CLIENT, record_id=1
    )
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AccessEvent.objects.update(detail="x")
    with pytest.raises(AppendOnly):
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.count() == 1


def test_viewers_are_listed_newest_first_and_logins_are_not_views(ana, colleague, client_record):
    record(action=AccessEvent.Action.LOGIN, user=ana.user)
    for who in (ana, colleague):
        record(
            action=AccessEvent.Action.VIEW,
            user=who.user,
            client=client_record,
            record_type=AccessEvent.RecordType.CLIENT,
            record_id=client_record.pk,
        )

    assert [event.user for event in viewers_of(client_record)] == [colleague.user, ana.user]
    assert {event.clinic_id for event in viewers_of(client_record)} == {client_record.clinic_id}
