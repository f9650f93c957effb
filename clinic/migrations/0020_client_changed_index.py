"""The (clinic, updated_at) index the dashboard's kept client counts are keyed off
(clinic/client_counts.py), and fresh planner statistics with it (see 0019)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clinic', '0019_analyze_clients'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='client',
            index=models.Index(fields=['clinic', 'updated_at'], name='client_clinic_changed_idx'),
        ),
        migrations.RunSQL("ANALYZE clinic_client", reverse_sql=migrations.RunSQL.noop),
    ]
