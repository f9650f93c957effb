from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Scheduling"

    def ready(self):
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        # The task queue is the worker's; what the clinic sees of it is each appointment's
        # reminders (sent when, to where, or why not).
        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)

        from clinic import panels
        from sessions.signals import session_signed

        from .client_panel import client_appointments
        from .panels import client_plans, todays_appointments
        from .receivers import complete_appointment

        panels.register(
            panels.DASHBOARD,
            panels.Panel("scheduling/_dashboard_today.html", todays_appointments, -10),
        )
        panels.register(
            panels.CLIENT_PAGE,
            panels.Panel("scheduling/_client_appointments.html", client_appointments, 4),
        )
        panels.register(
            panels.CLIENT_PAGE, panels.Panel("scheduling/_client_plans.html", client_plans, 5)
        )
        session_signed.connect(complete_appointment, dispatch_uid="scheduling-complete-appointment")
