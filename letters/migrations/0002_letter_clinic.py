"""Letters carry their client's clinic, so that a clinic's letters come newest first from
one index (the API's list) instead of a join through all of the clinic's clients."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_clinic_from_client(apps, schema_editor):
    Client = apps.get_model("clinic", "Client")
    clinic_of_client = Subquery(
        Client.objects.filter(pk=OuterRef("client_id")).values("clinic_id")[:1]
    )
    for name in ["ReferralLetter", "HistoricalReferralLetter"]:
        apps.get_model("letters", name).objects.update(clinic_id=clinic_of_client)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0011_access_log_letter_records"),
        ("letters", "0001_referral_letters"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalreferralletter",
            name="clinic",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="clinic.clinic",
            ),
        ),
        migrations.AddField(
            model_name="referralletter",
            name="clinic",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinic.clinic",
            ),
        ),
        migrations.RunPython(copy_clinic_from_client, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="referralletter",
            name="clinic",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinic.clinic",
            ),
        ),
        migrations.AddIndex(
            model_name="referralletter",
            index=models.Index(
                fields=["clinic", "-created_at", "-id"], name="letter_clinic_newest_idx"
            ),
        ),
        # Statistics for the new index at once (SQLite never gathers them by itself).
        migrations.RunSQL("ANALYZE letters_referralletter", reverse_sql=migrations.RunSQL.noop),
    ]
