from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Scheduling"

    def ready(self):
        from clinic import panels

        from .client_panel import client_appointments

        panels.register(
            panels.CLIENT_PAGE,
            panels.Panel("scheduling/_client_appointments.html", client_appointments, 5),
        )
