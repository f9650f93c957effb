"""An amendment records in which role it was made: by the session's treating practitioner,
or by a clinic manager amending another's session.

Amendments made before are marked from what they show: by the treating practitioner, or
else by a colleague (before roles were checked, any colleague could amend). Backwards, the
column goes; the amendments stay.
"""

from django.db import migrations, models
from django.db.models import F


def mark_existing(apps, schema_editor):
    Amendment = apps.get_model("treatment_sessions", "Amendment")
    Amendment.objects.exclude(amended_by=F("session__practitioner")).update(
        amended_as="colleague"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0006_roles_second_factor_setting_access_log"),
        ("treatment_sessions", "0005_session_condition_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="amendment",
            name="amended_as",
            field=models.CharField(
                choices=[
                    ("treating", "treating practitioner"),
                    ("manager", "clinic manager"),
                    ("colleague", "colleague, before roles were checked"),
                ],
                default="treating",
                help_text="The session's treating practitioner, or a clinic manager amending "
                "another practitioner's session.",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="amendment",
            constraint=models.CheckConstraint(
                condition=models.Q(("amended_as__in", ["treating", "manager", "colleague"])),
                name="amendment_amended_as_a_known_role",
            ),
        ),
    ]
