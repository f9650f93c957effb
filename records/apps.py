from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """A client's whole record, read across the apps below it (exports)."""

    name = "records"
    verbose_name = "Client records"

    def ready(self):
        from clinic import panels

        from .panels import export_buttons

        panels.register(
            panels.CLIENT_PAGE, panels.Panel("records/_client_export.html", export_buttons, 90)
        )
