from django.core.management.base import BaseCommand

from catalogue.coverage import coverage_lines


class Command(BaseCommand):
    help = "Print the catalogue's coverage tables (the figures in docs/catalogue.md)."

    def handle(self, *args, **options):
        self.stdout.write("\n".join(coverage_lines()))
