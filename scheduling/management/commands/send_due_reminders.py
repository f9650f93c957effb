from django.core.management.base import BaseCommand

from scheduling import sending, tasks


class Command(BaseCommand):
    help = (
        "Send the appointment reminders due now (each once, however many run at once), and "
        "make sure the worker (manage.py db_worker) sweeps for due ones every few minutes. "
        "Safe to run twice."
    )

    def handle(self, *args, **options):
        tasks.keep_sweeping()
        done = sending.send_due()
        summary = ", ".join(f"{count} {what}" for what, count in sorted(done.items()))
        self.stdout.write(f"Reminders due: {summary or 'none'}.")
        minutes = int(tasks.SWEEP_EVERY.total_seconds() // 60)
        self.stdout.write(f"The worker looks for due reminders every {minutes} minutes.")
