from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = (
        "Back up the whole database to PATH while the app runs (SQLite's online backup, or "
        "pg_dump), with the row counts beside it in PATH.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        if path.exists():
            raise CommandError(f"{path} exists already: choose a new file for each backup.")
        try:
            counts = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {sum(counts.values())} rows in {len(counts)} tables to {path} "
            f"(counts in {manifest_path(path)})."
        )
