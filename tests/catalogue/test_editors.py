"""Catalogue editors: a staff group, made by every migrate, that edits the point catalogue
in the admin and sees nothing else there."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from catalogue.editors import EDITORS, make_editors_group
from catalogue.models import PressureTool

from ..factories import PointFactory


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("eda", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def group_permissions():
    group = Group.objects.get(name=EDITORS)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_the_group_holds_the_catalogues_add_change_and_view_and_nothing_else(db):
    held = group_permissions()
    assert {app for app, _ in held} == {"catalogue"}
    assert {codename.split("_")[0] for _, codename in held} == {"add", "change", "view"}
    for model in (
        *("point", "condition", "pressuretool", "meridian", "indication"),
        *("healthflag", "cautionrule", "warningsign"),
    ):
        assert {("catalogue", f"{action}_{model}") for action in ("add", "change", "view")} <= held
    assert not any("historical" in codename for _, codename in held)


def test_each_migrate_puts_the_group_back_as_it_is_defined(db):
    group = Group.objects.get(name=EDITORS)
    group.permissions.add(Permission.objects.get(codename="view_client"))
    Group.objects.filter(name=EDITORS).delete()
    Group.objects.create(name=EDITORS).permissions.add(
        Permission.objects.get(codename="view_client")
    )
    before = group_permissions()
    make_editors_group(sender=None)
    assert ("clinic", "view_client") in before
    assert ("clinic", "view_client") not in group_permissions()
    assert Group.objects.filter(name=EDITORS).count() == 1


def test_an_editor_edits_the_catalogue_and_sees_nothing_else(client, editor, practitioner):
    point = PointFactory()
    client.force_login(editor)
    index = client.get("/admin/").content.decode()
    assert "Point catalogue" in index
    for elsewhere in ("Users", "Groups", "Clinics", "Practitioners", "Clients", "Access log"):
        assert f">{elsewhere}<" not in index, elsewhere
    tool = {"name": "Wooden ball", "slug": "wooden-ball", "position": "9", "is_active": "on"}
    added = client.post("/admin/catalogue/pressuretool/add/", tool)
    assert added.status_code == 302 and PressureTool.objects.filter(slug="wooden-ball").exists()
    assert client.get(f"/admin/catalogue/point/{point.pk}/change/").status_code == 200
    refused = [
        f"/admin/catalogue/meridian/{point.meridian.pk}/delete/",  # retire, never delete
        "/admin/auth/user/",
        f"/admin/clinic/practitioner/{practitioner.pk}/change/",
        "/admin/clinic/client/",
    ]
    assert [client.get(url).status_code for url in refused] == [403] * len(refused)
