from django.apps import AppConfig


class HomeCareConfig(AppConfig):
    name = "homecare"
    verbose_name = "Home care"

    def ready(self):
        from clinic import panels

        from .panels import client_sheets

        panels.register(
            panels.CLIENT_PAGE, panels.Panel("homecare/_client_sheets.html", client_sheets, 20)
        )
