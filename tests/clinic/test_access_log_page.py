"""The clinic manager's access log page: their clinic's entries only, newest first, filtered
by client, practitioner, action and dates, a page at a time; nothing edits an entry."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.access import NOT_A_MANAGER
from clinic.access_log import AccessEvent

from ..factories import ClientFactory

URL = reverse("clinic:access-log")
VIEW, EXPORT = AccessEvent.Action.VIEW, AccessEvent.Action.EXPORT


@pytest.fixture
def manager(client, clinic_manager):
    client.force_login(clinic_manager.user)
    return client


@pytest.fixture
def other_client(practitioner):
    return ClientFactory(clinic=practitioner.clinic, first_name="Omar", last_name="Reyes")


def entry(who, action=VIEW, client=None, at=None):
    return AccessEvent.objects.create(
        at=at or timezone.now(),
        action=action,
        user=who.user,
        username=who.user.username,
        clinic=who.clinic,
        client=client,
        record_type=AccessEvent.RecordType.CLIENT if client else "",
        record_id=client.pk if client else None,
    )


def shown(response):
    return [event.pk for event in response.context["events"]]


def on(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=12)))


def test_the_manager_sees_their_clinics_entries_newest_first(
    manager, clinic_manager, practitioner, outsider, client_record
):
    older = entry(practitioner, client=client_record, at=timezone.now() - timedelta(days=2))
    newer = entry(practitioner, client=client_record)
    entry(outsider)  # another clinic's login-like entry
    response = manager.get(URL, {"action": VIEW})
    assert response.status_code == 200
    assert shown(response) == [newer.pk, older.pk]
    html = response.content.decode()
    assert (
        "Margaret Hale" in html and reverse("clinic:client-detail", args=[client_record.pk]) in html
    )


def test_another_clinics_entries_are_never_shown(manager, outsider):
    theirs = entry(outsider)
    response = manager.get(URL)
    assert theirs.pk not in shown(response)
    assert {e.clinic_id for e in response.context["events"]} == {
        response.wsgi_request.user.practitioner.clinic_id
    }


def test_it_filters_by_client(manager, practitioner, client_record, other_client):
    wanted = entry(practitioner, client=client_record)
    entry(practitioner, client=other_client)
    assert shown(manager.get(URL, {"client": client_record.pk})) == [wanted.pk]


def test_it_filters_by_practitioner(manager, practitioner, colleague, client_record):
    wanted = entry(colleague, client=client_record)
    entry(practitioner, client=client_record)
    assert shown(manager.get(URL, {"practitioner": colleague.pk})) == [wanted.pk]


def test_it_filters_by_action(manager, practitioner, client_record):
    entry(practitioner, client=client_record)
    export = entry(practitioner, action=EXPORT, client=client_record)
    assert shown(manager.get(URL, {"action": EXPORT})) == [export.pk]


def test_it_filters_by_dates(manager, practitioner, client_record):
    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in (10, 5, 1)]
    old, middle, recent = (entry(practitioner, client=client_record, at=on(d)) for d in days)
    window = {"date_from": days[1].isoformat(), "date_to": days[2].isoformat()}
    assert shown(manager.get(URL, {**window, "action": VIEW})) == [recent.pk, middle.pk]
    assert shown(manager.get(URL, {"date_to": days[0].isoformat(), "action": VIEW})) == [old.pk]


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles"])
def test_the_calendars_ends_are_no_bound_and_no_500(
    manager, practitioner, client_record, clinic_manager, zone
):
    clinic_manager.clinic.time_zone = zone
    clinic_manager.clinic.save()
    mine = entry(practitioner, client=client_record)
    for days in [("0001-01-01", "9999-12-31"), ("0001-01-02", "9999-12-30")]:
        window = {"date_from": days[0], "date_to": days[1], "action": VIEW}
        response = manager.get(URL, window)
        assert response.status_code == 200
        assert shown(response) == [mine.pk]


def test_filters_combine(manager, practitioner, colleague, client_record, other_client):
    wanted = entry(colleague, action=EXPORT, client=client_record)
    entry(colleague, action=VIEW, client=client_record)
    entry(colleague, action=EXPORT, client=other_client)
    entry(practitioner, action=EXPORT, client=client_record)
    query = {"client": client_record.pk, "practitioner": colleague.pk, "action": EXPORT}
    assert shown(manager.get(URL, query)) == [wanted.pk]


@pytest.mark.parametrize(
    "query,field",
    [
        ({"date_from": "2026-12-05", "date_to": "2026-12-01"}, "date_to"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"action": "delete"}, "action"),
    ],
)
def test_a_bad_filter_says_so_and_lists_nothing(manager, practitioner, client_record, query, field):
    entry(practitioner, client=client_record)
    response = manager.get(URL, query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert shown(response) == []


def test_another_clinics_client_cannot_be_chosen(manager, outsider):
    theirs = ClientFactory(clinic=outsider.clinic)
    entry(outsider, client=theirs)
    response = manager.get(URL, {"client": theirs.pk})
    assert "client" in response.context["form"].errors
    assert shown(response) == []


def test_the_log_is_paged(manager, practitioner, client_record):
    for _ in range(55):
        entry(practitioner, client=client_record)
    first = manager.get(URL, {"action": VIEW})
    second = manager.get(URL, {"action": VIEW, "page": 2})
    assert len(shown(first)) == 50 and len(shown(second)) == 5
    assert set(shown(first)).isdisjoint(shown(second))
    assert "?action=view&amp;page=2" in first.content.decode()  # the filter is kept
    # No total: counting a clinic's whole log would cost more than the page.
    assert first.context["next_page"] == 2 and second.context["next_page"] is None
    assert second.context["previous_page"] == 1
    assert "Page 2" in second.content.decode() and " of " not in second.content.decode()


@pytest.mark.parametrize("page", ["x", "0", "-3", "99999999999999999999"])
def test_a_bad_page_number_shows_the_first_page(manager, practitioner, client_record, page):
    wanted = entry(practitioner, client=client_record)
    response = manager.get(URL, {"action": VIEW, "page": page})
    assert response.status_code == 200
    assert shown(response) == [wanted.pk]


def test_a_page_past_the_end_is_empty(manager, practitioner, client_record):
    entry(practitioner, client=client_record)
    response = manager.get(URL, {"page": 3})
    assert response.status_code == 200
    assert shown(response) == [] and response.context["previous_page"] == 2


def test_the_client_filter_is_a_number_not_a_menu_of_every_client(
    manager, practitioner, client_record, other_client
):
    entry(practitioner, client=client_record)
    html = manager.get(URL).content.decode()
    assert 'type="number" name="client"' in html
    assert other_client.full_name not in html  # no menu lists the clinic's clients
    # each entry's client links to the log of that client alone
    assert f'href="?client={client_record.pk}"' in html


def test_an_ordinary_practitioner_is_refused(client, practitioner):
    client.force_login(practitioner.user)
    response = client.get(URL)
    assert response.status_code == 403
    assert escape(NOT_A_MANAGER) in response.content.decode()


def test_only_a_manager_has_the_menu_link(client, practitioner, clinic_manager):
    client.force_login(practitioner.user)
    assert URL not in client.get(reverse("clinic:dashboard")).content.decode()
    client.force_login(clinic_manager.user)
    assert URL in client.get(reverse("clinic:dashboard")).content.decode()


@pytest.mark.parametrize("entries", [1, 60])
def test_query_count_is_constant(
    manager,
    practitioner,
    colleague,
    client_record,
    other_client,
    django_assert_num_queries,
    entries,
):
    for n in range(entries):
        entry(
            colleague if n % 2 else practitioner,
            client=other_client if n % 3 == 2 else client_record,
        )
    # session, user, practitioner, clinic (time zone), the chosen client checked, the page
    # of entries and one more (user, practitioner and client joined), the practitioner
    # menu. No count and no menu of the clinic's clients.
    with django_assert_num_queries(7):
        response = manager.get(URL, {"client": client_record.pk})
    assert len(shown(response)) == min(50, len([n for n in range(entries) if n % 3 != 2]))


class TestTheAdmin:
    """The superuser reads the log in the admin; nothing there adds, changes or deletes."""

    @pytest.fixture
    def admin_client(self, client, db):
        root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
        client.force_login(root)
        return client

    @pytest.fixture
    def event(self, practitioner, client_record):
        return entry(practitioner, client=client_record)

    def test_the_entry_page_is_read_only(self, admin_client, event):
        url = reverse("admin:clinic_accessevent_change", args=[event.pk])
        html = admin_client.get(url).content.decode()
        assert 'name="_save"' not in html and "deletelink" not in html
        response = admin_client.post(url, {"username": "someone else", "action": EXPORT})
        assert response.status_code == 403
        event.refresh_from_db()
        assert (event.username, event.action) == ("ana", VIEW)

    def test_no_delete_is_offered(self, admin_client, event):
        changelist = admin_client.get(reverse("admin:clinic_accessevent_changelist"))
        assert "delete_selected" not in changelist.content.decode()
        delete = reverse("admin:clinic_accessevent_delete", args=[event.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
        response = admin_client.post(
            reverse("admin:clinic_accessevent_changelist"),
            {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
        )
        assert response.status_code == 200  # no such action here: the list is shown again
        assert AccessEvent.objects.filter(pk=event.pk).exists()

    def test_nothing_can_be_added(self, admin_client):
        assert admin_client.get(reverse("admin:clinic_accessevent_add")).status_code == 403
