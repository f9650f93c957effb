"""Rows written straight into a model's table, many at a time, for the load data set.

A `Table` reads the model's concrete fields, so a column added to a model later is filled
without changing the generator: from the row when the generator gives it, else from the
field's default (auto_now fields: now), NULL where it may be, "" for a blank text field.
A NOT NULL column with none of these stops the run and is named, for the generator to give.
Ids are given by the generator (each table is loaded whole), and PostgreSQL's sequences are
moved past them afterwards. PostgreSQL is loaded with COPY, SQLite with executemany; no
change history is written (the pages do not read it for generated records).
"""

from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

# Fields whose values need converting for the database; the others go as they are.
CONVERTED = (
    models.DateTimeField,
    models.DateField,
    models.TimeField,
    models.JSONField,
    models.BinaryField,
    models.DecimalField,
    models.UUIDField,
)


def has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class Table:
    def __init__(self, model, names: list[str]):
        self.model = model
        given = {
            model._meta.get_field(name).attname: position for position, name in enumerate(names)
        }
        # An id not given is the database's to number.
        self.fields = [
            field
            for field in model._meta.concrete_fields
            if field.attname in given
            or not (field.primary_key and isinstance(field, AutoFieldMixin))
        ]
        unknown = set(given) - {field.attname for field in model._meta.concrete_fields}
        if unknown:
            raise CommandError(f"{model.__name__} has no column {', '.join(sorted(unknown))}.")
        now = timezone.now()
        self.plan = []  # per column: (index in the row or None, constant, converter or None)
        for field in self.fields:
            convert = self._converter(field)
            if field.attname in given:
                self.plan.append((given[field.attname], None, convert))
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif field.blank and isinstance(field, (models.CharField, models.TextField)):
                value = ""
            else:
                raise CommandError(
                    f"The generator gives no value for {model.__name__}.{field.name} "
                    "(NOT NULL, no default): add it to operations/load_data."
                )
            self.plan.append((None, convert(value) if convert else value, None))
        self.columns = [field.column for field in self.fields]
        self.written = 0

    @staticmethod
    def _converter(field):
        if not isinstance(field, CONVERTED):
            return None

        def convert(value):
            return None if value is None else field.get_db_prep_save(value, connection)

        return convert

    def _full(self, row):
        return tuple(
            (convert(row[index]) if convert else row[index]) if index is not None else constant
            for index, constant, convert in self.plan
        )

    def write(self, rows) -> int:
        """Insert the rows (tuples in the order of `names`); returns how many."""
        full = [self._full(row) for row in rows]
        if not full:
            return 0
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in full:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", full)
        self.written += len(full)
        return len(full)

    def write_all(self, rows, batch: int = 20_000) -> int:
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                self.write(chunk)
                chunk = []
        self.write(chunk)
        return self.written


def reset_sequences(*models_) -> None:
    """Move PostgreSQL's id sequences past the ids given (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def next_id(model) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def added_to_history(model) -> None:
    """One "+" (added) entry in the change history of each of the model's rows, as made
    when they were created: for the pages that read a record's history."""
    history = model.history.model
    own = {field.column for field in model._meta.concrete_fields}
    columns = [f.column for f in history._meta.concrete_fields if f.column in own]
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({names}, history_date, history_type, "
            f"history_change_reason) SELECT {names}, created_at, '+', NULL "
            f"FROM {quote(model._meta.db_table)}"
        )
