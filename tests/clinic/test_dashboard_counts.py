"""The dashboard's client counts, kept for each state of the clinic's clients
(clinic/client_counts.py): a view of an unchanged clinic does not count again, and every
change that moves a count shows on the next view."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.models import Client

from ..factories import ClientFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("clinic:dashboard")


def counts(http):
    counted = http.get(DASHBOARD).context["counts"]
    return counted["active"], counted["archived"], counted["mine"]


@pytest.fixture
def clinic_clients(practitioner):
    mine = ClientFactory.create_batch(3, clinic=practitioner.clinic)
    for client in mine:
        client.primary_practitioner = practitioner
        client.save()
    others = ClientFactory.create_batch(2, clinic=practitioner.clinic)
    ClientFactory.create_batch(4)  # another clinic's
    return mine, others


def test_a_second_view_of_an_unchanged_clinic_does_not_count_again(
    as_practitioner, practitioner, clinic_clients, django_assert_num_queries
):
    assert counts(as_practitioner) == (5, 0, 3)
    # session, user, practitioner, clinic, the latest client change, today's appointments,
    # unsigned sessions, recent clients: no count.
    with django_assert_num_queries(8):
        assert counts(as_practitioner) == (5, 0, 3)


def test_each_change_that_moves_a_count_shows_on_the_next_view(
    as_practitioner, practitioner, clinic_clients
):
    mine, others = clinic_clients
    assert counts(as_practitioner) == (5, 0, 3)
    ClientFactory(clinic=practitioner.clinic)
    assert counts(as_practitioner) == (6, 0, 3)
    mine[0].archive()
    assert counts(as_practitioner) == (5, 1, 2)
    mine[0].restore()
    assert counts(as_practitioner) == (6, 0, 3)
    others[0].primary_practitioner = practitioner
    others[0].save()
    assert counts(as_practitioner) == (6, 0, 4)


def test_each_practitioner_has_their_own_count_of_their_clients(
    client, practitioner, clinic_clients
):
    from ..conftest import logged_in

    colleague = PractitionerFactory(clinic=practitioner.clinic)
    assert counts(logged_in(client, practitioner.user)) == (5, 0, 3)
    assert counts(logged_in(client, colleague.user)) == (5, 0, 0)


def test_a_change_committed_out_of_order_shows_within_a_minute(
    as_practitioner, practitioner, clinic_clients
):
    # On PostgreSQL a save can commit after a later one: its updated_at is older than the
    # latest change already seen, so the key does not move. The kept count expires.
    assert counts(as_practitioner) == (5, 0, 3)
    latest = Client.objects.order_by("-updated_at").first().updated_at
    late = ClientFactory(clinic=practitioner.clinic)
    Client.objects.filter(pk=late.pk).update(updated_at=latest - timedelta(seconds=1))
    assert counts(as_practitioner) == (5, 0, 3)
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert counts(as_practitioner) == (6, 0, 3)


def test_one_entry_is_kept_for_a_practitioner_however_often_the_clinic_changes(
    as_practitioner, practitioner, clinic_clients
):
    from django.core.cache import cache

    for _ in range(3):
        ClientFactory(clinic=practitioner.clinic)
        counts(as_practitioner)
    assert [key for key in cache._cache if "client-counts" in key] == [
        f":1:client-counts:{practitioner.clinic_id}:{practitioner.pk}"
    ]
