"""The state of a client's history (the whole-history cache key: count, sum of revisions,
latest change) read off an index instead of the client's session rows: 6 ms for the
508-session client at 10x on SQLite before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_warning_signs_for_flags"),
        ("clinic", "0019_analyze_clients"),
        ("treatment_sessions", "0010_session_clinic_and_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="treatmentsession",
            index=models.Index(
                fields=["client", "updated_at", "revision"], name="session_client_state_idx"
            ),
        ),
        # Statistics for the new index at once (SQLite never gathers them by itself).
        migrations.RunSQL(
            "ANALYZE treatment_sessions_treatmentsession", reverse_sql=migrations.RunSQL.noop
        ),
    ]
