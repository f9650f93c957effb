from django.apps import AppConfig


class TreatmentSessionsConfig(AppConfig):
    # "sessions" is django.contrib.sessions' label; ours must differ.
    name = "sessions"
    label = "treatment_sessions"
    verbose_name = "Treatment sessions"

    def ready(self):
        from clinic import panels

        from .panels import client_sessions, unsigned_sessions

        panels.register(
            panels.CLIENT_PAGE, panels.Panel("sessions/_client_timeline.html", client_sessions, 10)
        )
        panels.register(
            panels.DASHBOARD, panels.Panel("sessions/_dashboard_unsigned.html", unsigned_sessions)
        )
