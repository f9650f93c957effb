from django.core.management.base import BaseCommand

from catalogue.loading import load_catalogue


class Command(BaseCommand):
    help = (
        "Load the shipped point catalogue. Safe to run again: it keeps edits made in the "
        "admin (unless --force) and never deletes a point."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Overwrite admin edits with the shipped text."
        )

    def handle(self, *args, force=False, **options):
        report = load_catalogue(force=force)
        lines = list(report.lines())
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS("Catalogue up to date." if lines else "Catalogue unchanged.")
        )
