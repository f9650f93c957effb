"""A practitioner whose profile is made inactive is refused like a user without one."""

from django.urls import reverse


def test_an_inactive_practitioner_is_refused_on_pages_and_api(client, practitioner, client_record):
    practitioner.is_active = False
    practitioner.save()
    client.force_login(practitioner.user)
    page = client.get(reverse("clinic:client-detail", args=[client_record.pk]))
    assert page.status_code == 403
    assert b"not linked to an active practitioner" in page.content
    assert client.get(reverse("api:client-detail", args=[client_record.pk])).status_code == 403
