from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database with the backup at PATH, then check it: integrity, every "
        "table's rows against the backup's counts, every issued PDF against its SHA-256. "
        "Stop the app first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            report = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {sum(report.rows.values())} rows in {len(report.rows)} tables."
        )
        self.stdout.write(f"Integrity check: {report.integrity}.")
        for table, (wanted, got) in sorted(report.missing_rows.items()):
            self.stdout.write(f"Missing rows in {table}: {got} of {wanted}.")
        self.stdout.write(
            f"Issued PDFs checked: {report.pdfs_checked}, "
            f"wrong: {len(report.pdfs_wrong)} {report.pdfs_wrong or ''}".rstrip()
        )
        if not report.ok:
            raise CommandError("The restored database does not match the backup: see above.")
        self.stdout.write(self.style.SUCCESS("Restore checked: everything is there."))
