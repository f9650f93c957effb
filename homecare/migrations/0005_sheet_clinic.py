"""Sheets carry their client's clinic, so that a clinic's sheets come newest first from
one index (the API's list) instead of a sort of all of them."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_clinic_from_client(apps, schema_editor):
    Client = apps.get_model("clinic", "Client")
    clinic_of_client = Subquery(
        Client.objects.filter(pk=OuterRef("client_id")).values("clinic_id")[:1]
    )
    for name in ["HomeCareSheet", "HistoricalHomeCareSheet"]:
        apps.get_model("homecare", name).objects.update(clinic_id=clinic_of_client)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0012_access_log_diary_records"),
        ("homecare", "0004_sheet_newest_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="homecaresheet", name="sheet_newest_idx"),
        migrations.AddField(
            model_name="historicalhomecaresheet",
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
            model_name="homecaresheet",
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
            model_name="homecaresheet",
            name="clinic",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinic.clinic",
            ),
        ),
        migrations.AddIndex(
            model_name="homecaresheet",
            index=models.Index(
                fields=["clinic", "-created_at", "-id"], name="sheet_clinic_newest_idx"
            ),
        ),
    ]
