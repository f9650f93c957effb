"""The diary's background tasks, run by `manage.py db_worker` (django-tasks' database
backend; `make run` starts one).

Two ways a reminder reaches the worker, and sending.py's claim makes either safe to repeat:
- booking enqueues `send_reminder_task` to run at the reminder's due time (in the booking's
  own transaction: a booking rolled back leaves no task);
- `send_due_reminders` sweeps every SWEEP_EVERY for whatever is due and unsent (a retry
  after a failure, a task lost, a worker that was down), and enqueues the next sweep
  itself. `manage.py send_due_reminders` runs one sweep now and starts the round."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import sending

SWEEP_EVERY = timedelta(minutes=5)


@task()
def send_reminder_task(reminder_id: int) -> str:
    return sending.send_reminder(reminder_id)


@task()
def send_due_reminders() -> dict[str, int]:
    keep_sweeping()  # first, so that a failing sweep still has a next one
    return sending.send_due()


def keep_sweeping() -> None:
    """Enqueue the next sweep, unless one is waiting already (two rounds become one)."""
    waiting = DBTaskResult.objects.filter(task_path=send_due_reminders.module_path, status="READY")
    if not waiting.exists():
        send_due_reminders.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()
