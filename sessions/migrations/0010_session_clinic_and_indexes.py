"""Sessions carry their client's clinic, so that a clinic's sessions come in start order
from one index; and the dashboard's unsigned list gets a partial index of its own."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_clinic_from_client(apps, schema_editor):
    Client = apps.get_model("clinic", "Client")
    clinic_of_client = Subquery(
        Client.objects.filter(pk=OuterRef("client_id")).values("clinic_id")[:1]
    )
    for name in ["TreatmentSession", "HistoricalTreatmentSession"]:
        apps.get_model("treatment_sessions", name).objects.update(clinic_id=clinic_of_client)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_warning_signs_for_flags"),
        ("clinic", "0012_access_log_diary_records"),
        ("treatment_sessions", "0009_hold_timer"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="treatmentsession",
            name="session_client_time_idx",
        ),
        migrations.AddField(
            model_name="historicaltreatmentsession",
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
            model_name="treatmentsession",
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
            model_name="treatmentsession",
            name="clinic",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinic.clinic",
            ),
        ),
        migrations.AddIndex(
            model_name="treatmentsession",
            index=models.Index(
                fields=["client", "-started_at", "-id"], name="session_client_time_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="treatmentsession",
            index=models.Index(
                fields=["clinic", "-started_at", "-id"], name="session_clinic_time_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="treatmentsession",
            index=models.Index(
                condition=models.Q(("signed_at__isnull", True)),
                fields=["practitioner", "started_at"],
                name="session_unsigned_idx",
            ),
        ),
    ]
