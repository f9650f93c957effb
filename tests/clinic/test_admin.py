import pytest
from django.contrib.auth import get_user_model

from clinic.models import Client

from ..factories import ClientFactory


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")


def test_a_superuser_manages_users_with_their_practitioner_profile(client, superuser, practitioner):
    client.force_login(superuser)
    response = client.get(f"/admin/auth/user/{practitioner.user.pk}/change/")
    assert response.status_code == 200
    assert b"Registration or licence number" in response.content
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "dora",
            "password1": "a-Long-pass-987",
            "password2": "a-Long-pass-987",
            "usable_password": "true",
            "practitioner-TOTAL_FORMS": "1",
            "practitioner-INITIAL_FORMS": "0",
            "practitioner-MIN_NUM_FORMS": "0",
            "practitioner-MAX_NUM_FORMS": "1",
            "practitioner-0-clinic": practitioner.clinic.pk,
            "practitioner-0-display_name": "Dora Vale",
            "practitioner-0-role": "practitioner",
            "practitioner-0-is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert get_user_model().objects.get(username="dora").practitioner.display_name == "Dora Vale"


def test_clients_are_visible_with_history_but_not_deletable(client, superuser, practitioner):
    record = ClientFactory(clinic=practitioner.clinic, phone="07700 900001")
    record.phone = "07700 900002"
    record.save()
    client.force_login(superuser)
    listing = client.get("/admin/clinic/client/")
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [record]
    history = client.get(f"/admin/clinic/client/{record.pk}/history/")
    assert history.status_code == 200
    entries = history.context["page_obj"].object_list
    assert [(e.history_type, e.phone) for e in entries] == [
        ("~", "07700 900002"),
        ("+", "07700 900001"),
    ]
    assert client.get(f"/admin/clinic/client/{record.pk}/delete/").status_code == 403
    assert Client.objects.filter(pk=record.pk).exists()


def test_client_records_are_the_superusers_only_whatever_staff_may_hold(
    client, superuser, client_record, practitioner
):
    """Staff given the client, session and sheet permissions (by mistake, say) still see no
    client record in the admin; the superuser does."""
    from django.contrib.auth.models import Permission

    from tests.sessions.session_api_support import a_session

    session = a_session(client_record, practitioner)
    desk = get_user_model().objects.create_user("desk", is_staff=True)
    desk.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["clinic", "treatment_sessions", "homecare"]
        )
    )
    pages = [
        "/admin/clinic/client/",
        f"/admin/clinic/client/{client_record.pk}/change/",
        f"/admin/clinic/client/{client_record.pk}/history/",
        "/admin/treatment_sessions/treatmentsession/",
        f"/admin/treatment_sessions/treatmentsession/{session.pk}/change/",
        "/admin/homecare/homecaresheet/",
    ]
    client.force_login(desk)
    assert [client.get(url).status_code for url in pages] == [403] * len(pages)
    index = client.get("/admin/").content.decode()
    assert "Practitioners" in index  # what the permissions do give
    assert "Clients" not in index and "Treatment sessions" not in index
    client.force_login(superuser)
    assert [client.get(url).status_code for url in pages] == [200] * len(pages)


def _change_form_data(response):
    """What the admin's change form would post back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def test_a_clients_clinic_cannot_be_changed_in_the_admin(client, superuser, practitioner):
    """The client's sessions, sheets and letters stay with the clinic they were recorded in,
    so moving the client alone would hand their record to one clinic and its history to
    another."""
    from tests.sessions.session_api_support import a_session

    from ..factories import ClinicFactory

    record = ClientFactory(clinic=practitioner.clinic, phone="07700 900001")
    a_session(record, practitioner)
    elsewhere = ClinicFactory()
    client.force_login(superuser)
    page = client.get(f"/admin/clinic/client/{record.pk}/change/")
    assert "clinic" not in page.context["adminform"].form.fields
    assert str(practitioner.clinic) in page.content.decode()
    data = _change_form_data(page)
    data.update(clinic=elsewhere.pk, phone="07700 900002")
    response = client.post(f"/admin/clinic/client/{record.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert (record.clinic, record.phone) == (practitioner.clinic, "07700 900002")


def test_the_admin_refuses_a_primary_practitioner_of_another_clinic(
    client, superuser, practitioner
):
    from ..factories import ClinicFactory, PractitionerFactory

    record = ClientFactory(clinic=practitioner.clinic, phone="07700 900001")
    stranger = PractitionerFactory(clinic=ClinicFactory())
    client.force_login(superuser)
    page = client.get(f"/admin/clinic/client/{record.pk}/change/")
    data = _change_form_data(page)
    data.update(primary_practitioner=stranger.pk, phone="07700 900003")
    response = client.post(f"/admin/clinic/client/{record.pk}/change/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["primary_practitioner"] == [f"Choose a practitioner of {practitioner.clinic}."]
    record.refresh_from_db()
    assert (record.primary_practitioner, record.phone) == (None, "07700 900001")
