from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the clinic's server: backups, restores and the demo data. Above every other
    app, since a restore checks what they store (the issued sheets' PDFs among them) and the
    demo records sessions and issues sheets through their services."""

    name = "operations"
    verbose_name = "Operations"
