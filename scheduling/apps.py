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
