from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the clinic's server: backups and restores. Above every other app, since a
    restore checks what they store (the issued sheets' PDFs among them)."""

    name = "operations"
    verbose_name = "Operations"
