from django.db import migrations, models

RETIRE_HELP = (
    "Retire instead of deleting: retired ones are kept on old records but not offered for new ones."
)


def active_field():
    return models.BooleanField(default=True, help_text=RETIRE_HELP, verbose_name="active")


class Migration(migrations.Migration):
    """Conditions and pressure tools are retired like points, never deleted: every one
    there is stays active."""

    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="condition", name="is_active", field=active_field()),
        migrations.AddField(
            model_name="historicalcondition", name="is_active", field=active_field()
        ),
        migrations.AddField(model_name="pressuretool", name="is_active", field=active_field()),
        migrations.AddField(
            model_name="historicalpressuretool", name="is_active", field=active_field()
        ),
    ]
