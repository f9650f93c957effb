from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from clinic.models import Client, Clinic
from operations.load_data.dataset import BENCH_USERNAME, Progress, generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with issue 16's load data set, for the page benchmark "
        "(scripts/bench_pages.py): --scale 1.0 is 20 clinics, 100,000 clients, 1,000,000 "
        "sessions, 4,000,000 treated points and 20,000 home-care sheets (2,000 issued); "
        "--scale 0.1 a tenth. Loads the catalogue first. Refuses a database with clinics or "
        "clients in it unless --flush, which empties it first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.1)
        parser.add_argument("--seed", type=int, default=16)
        parser.add_argument("--password", default="load-data-16", help="Every generated login's")
        parser.add_argument(
            "--flush", action="store_true", help="Empty the database first (all of its data)."
        )

    def handle(self, *args, scale, seed, password, flush, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale is between 0 and 10 (1.0 is the issue's data set).")
        if Clinic.objects.exists() or Client.objects.exists():
            if not flush:
                raise CommandError(
                    "The database has clinics or clients: use an empty one, or --flush to "
                    "empty it first."
                )
            call_command("flush", interactive=False, verbosity=0)
        progress = Progress(self.stdout.write)
        call_command("load_catalogue", verbosity=0)
        progress("catalogue loaded")
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")
        with transaction.atomic():
            made = generate(scale=scale, password=password, seed=seed, progress=progress)
        with connection.cursor() as cursor:  # the planner's statistics, as after a restore
            cursor.execute("ANALYZE")
        progress("analysed")
        sizes = made["sizes"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Load data at scale {scale}: {sizes.clinics} clinics, {sizes.clients:,} "
                f"clients, {sizes.sessions:,} sessions. Log in as {BENCH_USERNAME!r} "
                f"(password {password!r}); the client with the most sessions is "
                f"#{made['heavy_client']}."
            )
        )
