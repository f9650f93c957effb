"""Who may open which client page: a matrix over every route."""

import pytest
from django.urls import reverse

OBJECT_ROUTES = [
    ("get", "clinic:client-detail"),
    ("get", "clinic:client-update"),
    ("post", "clinic:client-archive"),
    ("post", "clinic:client-restore"),
]
LIST_ROUTES = [
    ("get", "clinic:dashboard"),
    ("get", "clinic:client-list"),
    ("get", "clinic:client-create"),
]


def url_for(name, client_record):
    if name in {route for _, route in OBJECT_ROUTES}:
        return reverse(name, args=[client_record.pk])
    return reverse(name)


@pytest.mark.parametrize("method,name", OBJECT_ROUTES + LIST_ROUTES)
def test_it_works_for_the_practitioner_and_a_colleague(
    client, practitioner, colleague, client_record, method, name
):
    for user in (practitioner.user, colleague.user):
        client.force_login(user)
        response = getattr(client, method)(url_for(name, client_record))
        assert response.status_code in (200, 302), (user, name)
        if method == "post":
            assert response.url == reverse("clinic:client-detail", args=[client_record.pk])


@pytest.mark.parametrize("method,name", OBJECT_ROUTES)
def test_another_clinic_gets_404(client, outsider, client_record, method, name):
    client.force_login(outsider.user)
    response = getattr(client, method)(url_for(name, client_record))
    assert response.status_code == 404
    client_record.refresh_from_db()
    assert client_record.archived_at is None


@pytest.mark.parametrize("method,name", OBJECT_ROUTES + LIST_ROUTES)
def test_anonymous_is_sent_to_login(client, client_record, method, name):
    url = url_for(name, client_record)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("method,name", OBJECT_ROUTES + LIST_ROUTES)
def test_a_user_without_a_practitioner_profile_is_refused(
    client, no_profile_user, client_record, method, name
):
    client.force_login(no_profile_user)
    response = getattr(client, method)(url_for(name, client_record))
    assert response.status_code == 403
    assert b"not linked to an active practitioner" in response.content


def test_an_inactive_practitioner_is_refused(client, practitioner, client_record):
    practitioner.is_active = False
    practitioner.save()
    client.force_login(practitioner.user)
    response = client.get(reverse("clinic:client-detail", args=[client_record.pk]))
    assert response.status_code == 403


def test_the_outsider_list_does_not_show_other_clinics(client, outsider, client_record):
    client.force_login(outsider.user)
    response = client.get(reverse("clinic:client-list"), {"status": "all"})
    assert response.status_code == 200
    assert client_record.last_name not in response.content.decode()
