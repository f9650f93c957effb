"""The search words' index holds the client's id too, so a search reads its matches off
the index alone (clinic/models.py); the new one is built before the old one goes, and the
planner's statistics are refreshed with it (see 0019)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clinic", "0020_client_changed_index")]

    operations = [
        migrations.AddIndex(
            model_name="clientsearchword",
            index=models.Index(
                fields=["clinic", "word", "client"],
                name="client_search_word_cover_idx",
                opclasses=["int8_ops", "varchar_pattern_ops", "int8_ops"],
            ),
        ),
        migrations.RemoveIndex(model_name="clientsearchword", name="client_search_word_idx"),
        migrations.RunSQL("ANALYZE clinic_clientsearchword", reverse_sql=migrations.RunSQL.noop),
    ]
