"""A session's conditions get an explicit through model, SessionCondition, with history.

The links stay where they are: SessionCondition takes over the automatic many-to-many's
table, columns, indexes and unique pair as they stand, so the move changes Django's state
only (as in Django's "Changing a ManyToManyField to use a through model"). Only the history
table is new. Backwards, the state goes back and the history table is dropped; the links
are untouched either way.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("treatment_sessions", "0004_add_revision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SessionCondition",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "condition",
                            models.ForeignKey(
                                db_column="condition_id",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="catalogue.condition",
                            ),
                        ),
                        (
                            "session",
                            models.ForeignKey(
                                db_column="treatmentsession_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="condition_links",
                                to="treatment_sessions.treatmentsession",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "treatment_sessions_treatmentsession_conditions",
                        "unique_together": {("session", "condition")},
                    },
                ),
                migrations.AlterField(
                    model_name="treatmentsession",
                    name="conditions",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        through="treatment_sessions.SessionCondition",
                        to="catalogue.condition",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="HistoricalSessionCondition",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                        max_length=1,
                    ),
                ),
                (
                    "condition",
                    models.ForeignKey(
                        blank=True,
                        db_column="condition_id",
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="catalogue.condition",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        blank=True,
                        db_column="treatmentsession_id",
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="treatment_sessions.treatmentsession",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical session condition",
                "verbose_name_plural": "historical session conditions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
