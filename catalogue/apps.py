from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Point catalogue"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .editors import make_editors_group

        # After django.contrib.auth's own handler (an earlier app), which makes the
        # permissions the group is given.
        post_migrate.connect(make_editors_group, sender=self, dispatch_uid="catalogue_editors")
