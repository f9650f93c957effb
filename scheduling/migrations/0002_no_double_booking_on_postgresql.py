"""On PostgreSQL the database itself refuses a practitioner or a room booked twice at once:
exclusion constraints over the appointment's time range, ignoring cancelled ones. SQLite
has no such constraint; there the booking service's check runs inside the IMMEDIATE
transaction that holds the database's write lock (scheduling/booking.py).

Written as SQL run only on PostgreSQL, so the model state (and SQLite's table) is the same
on both databases."""

from django.db import migrations

CONSTRAINTS = {
    "appointment_no_double_booking_practitioner": "practitioner_id WITH =",
    "appointment_no_double_booking_room": "room_id WITH =",
}


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Here, not as BtreeGistExtension(): unapplied on SQLite, that one queries pg_extension.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, equal in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE scheduling_appointment ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({equal}, tstzrange(starts_at, ends_at, '[)') WITH &&) "
            "WHERE (status <> 'cancelled')"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE scheduling_appointment DROP CONSTRAINT {name}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_diary")]

    operations = [migrations.RunPython(add, remove)]
