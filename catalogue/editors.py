"""Catalogue editors: a staff group that edits the point catalogue in the admin (add, change,
view; retiring instead of deleting) and sees nothing else there.

The group is defined here, not in the admin: after every `migrate` (post_migrate, once
Django has made the catalogue's permissions) it is made if missing and given exactly these
permissions, so a model added to the catalogue is covered and nothing else creeps in.
Giving a staff user the group is what makes them an editor.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

EDITORS = "Catalogue editors"
ACTIONS = ("add", "change", "view")


def editor_codenames(apps=global_apps) -> list[str]:
    """The catalogue's add, change and view permissions (not those of history records)."""
    models = apps.get_app_config("catalogue").get_models()
    names = [model._meta.model_name for model in models]
    return [
        f"{action}_{name}"
        for name in names
        if not name.startswith("historical")
        for action in ACTIONS
    ]


def make_editors_group(sender, *, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="catalogue", codename__in=editor_codenames(apps)
    )
    group.permissions.set(permissions)
