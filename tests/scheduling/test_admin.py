"""The diary in the admin: a clinic's setup is edited under the API's rules; appointments
are only looked at (who may open which page is the permission matrix's)."""

from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from scheduling import booking
from scheduling.models import WorkingHours

from .conftest import local_at


@pytest.fixture
def admin_client(client, db):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    return client


def test_working_hours_keep_the_rule_of_no_overlap(admin_client, practitioner):
    WorkingHours.objects.create(practitioner=practitioner, weekday=0, starts=time(9), ends=time(13))
    response = admin_client.post(
        reverse("admin:scheduling_workinghours_add"),
        {"practitioner": practitioner.pk, "weekday": 0, "starts": "12:00", "ends": "17:00"},
    )
    assert response.status_code == 200  # the form again, with its error
    assert "This overlaps Ana Duarte&#x27;s hours Monday 09:00–13:00 already set." in (
        response.content.decode()
    )
    assert WorkingHours.objects.count() == 1


def test_an_appointment_is_shown_and_never_changed(
    admin_client, practitioner, client_record, tomorrow
):
    starts_at = local_at(tomorrow, 10)
    appointment = booking.book_appointment(
        client=client_record,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        booked_by=practitioner,
    )
    url = reverse("admin:scheduling_appointment_change", args=[appointment.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    refused = admin_client.post(url, {"notes": "Changed in the admin"})
    assert refused.status_code == 403
    appointment.refresh_from_db()
    assert appointment.notes == ""
    listed = admin_client.get(reverse("admin:scheduling_appointment_changelist"))
    assert "Margaret Hale" in listed.content.decode()
