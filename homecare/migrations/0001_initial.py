"""Home care moves out of the treatment_sessions app into its own. The tables stay where
they are, under their old names: this migration only tells Django's model state, and moves
the content types (and so the permissions and admin log entries) to the new app label.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["homecaresheet", "homecareitem", "historicalhomecaresheet", "historicalhomecareitem"]


def move_content_types(old_label, new_label):
    """Relabel the four content types. Where the new code already made its own (a request
    served before `migrate` ran), merge the old one into it: its permissions, the groups and
    users holding them, and its admin log entries."""

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        LogEntry = apps.get_model("admin", "LogEntry")
        for model in MODELS:
            old = ContentType.objects.filter(app_label=old_label, model=model).first()
            if old is None:
                continue
            new = ContentType.objects.filter(app_label=new_label, model=model).first()
            if new is None:
                old.app_label = new_label
                old.save(update_fields=["app_label"])
                continue
            for permission in Permission.objects.filter(content_type=old):
                twin = Permission.objects.filter(
                    content_type=new, codename=permission.codename
                ).first()
                if twin is None:
                    permission.content_type = new
                    permission.save(update_fields=["content_type"])
                else:
                    twin.group_set.add(*permission.group_set.all())
                    twin.user_set.add(*permission.user_set.all())
                    permission.delete()
            LogEntry.objects.filter(content_type=old).update(content_type=new)
            old.delete()

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalogue', '0001_initial'),
        ('clinic', '0003_validate_clinic_time_zone'),
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('treatment_sessions', '0002_add_homecare_sheets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HomeCareSheet',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('general_advice', models.TextField(blank=True, default='Press each point with steady, comfortable pressure. It may feel tender, but it should not hurt. Breathe slowly while you press. Drink a glass of water afterwards.')),
                        ('large_print', models.BooleanField(default=False)),
                        ('paper', models.CharField(choices=[('a4', 'A4'), ('letter', 'US Letter')], default='a4', max_length=6)),
                        ('caution_acknowledged', models.BooleanField(default=False)),
                        ('acknowledged_cautions', models.JSONField(blank=True, default=list)),
                        ('version', models.PositiveSmallIntegerField(default=1)),
                        ('issued_at', models.DateTimeField(blank=True, null=True)),
                        ('pdf', models.BinaryField(blank=True, null=True)),
                        ('pdf_sha256', models.CharField(blank=True, editable=False, max_length=64)),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='homecare_sheets', to='clinic.client')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinic.practitioner')),
                        ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinic.practitioner')),
                        ('session', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='homecare_sheets', to='treatment_sessions.treatmentsession')),
                        ('supersedes', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='newer_versions', to='homecare.homecaresheet')),
                    ],
                    options={
                        'db_table': 'treatment_sessions_homecaresheet',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HomeCareItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('duration_seconds', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1800)])),
                        ('times_per_day', models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)])),
                        ('side', models.CharField(choices=[('left', 'Left'), ('right', 'Right'), ('both', 'Both'), ('midline', 'Midline')], max_length=10)),
                        ('instructions', models.TextField()),
                        ('point', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalogue.point')),
                        ('tool', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalogue.pressuretool')),
                        ('sheet', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='homecare.homecaresheet')),
                    ],
                    options={
                        'db_table': 'treatment_sessions_homecareitem',
                        'ordering': ['sheet', 'position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalHomeCareSheet',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('general_advice', models.TextField(blank=True, default='Press each point with steady, comfortable pressure. It may feel tender, but it should not hurt. Breathe slowly while you press. Drink a glass of water afterwards.')),
                        ('large_print', models.BooleanField(default=False)),
                        ('paper', models.CharField(choices=[('a4', 'A4'), ('letter', 'US Letter')], default='a4', max_length=6)),
                        ('caution_acknowledged', models.BooleanField(default=False)),
                        ('acknowledged_cautions', models.JSONField(blank=True, default=list)),
                        ('version', models.PositiveSmallIntegerField(default=1)),
                        ('issued_at', models.DateTimeField(blank=True, null=True)),
                        ('pdf_sha256', models.CharField(blank=True, editable=False, max_length=64)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('client', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clinic.client')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clinic.practitioner')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('issued_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clinic.practitioner')),
                        ('session', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='treatment_sessions.treatmentsession')),
                        ('supersedes', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='homecare.homecaresheet')),
                    ],
                    options={
                        'db_table': 'treatment_sessions_historicalhomecaresheet',
                        'verbose_name': 'historical home care sheet',
                        'verbose_name_plural': 'historical home care sheets',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalHomeCareItem',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('duration_seconds', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1800)])),
                        ('times_per_day', models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)])),
                        ('side', models.CharField(choices=[('left', 'Left'), ('right', 'Right'), ('both', 'Both'), ('midline', 'Midline')], max_length=10)),
                        ('instructions', models.TextField()),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('point', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalogue.point')),
                        ('tool', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalogue.pressuretool')),
                        ('sheet', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='homecare.homecaresheet')),
                    ],
                    options={
                        'db_table': 'treatment_sessions_historicalhomecareitem',
                        'verbose_name': 'historical home care item',
                        'verbose_name_plural': 'historical home care items',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name='homecaresheet',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('issued_at__isnull', True), ('issued_by__isnull', True), ('pdf_sha256', '')), models.Q(('issued_at__isnull', False), ('issued_by__isnull', False), models.Q(('pdf_sha256', ''), _negated=True)), _connector='OR'), name='sheet_issued_with_pdf_by_whom_and_when'),
                ),
                migrations.AddConstraint(
                    model_name='homecareitem',
                    constraint=models.CheckConstraint(condition=models.Q(('duration_seconds__gt', 0), ('duration_seconds__lte', 1800)), name='homecare_item_duration_up_to_30_min'),
                ),
                migrations.AddConstraint(
                    model_name='homecareitem',
                    constraint=models.CheckConstraint(condition=models.Q(('times_per_day__gte', 1), ('times_per_day__lte', 10)), name='homecare_item_1_to_10_times_a_day'),
                ),
            ],
        ),
        migrations.RunPython(
            move_content_types("treatment_sessions", "homecare"),
            move_content_types("homecare", "treatment_sessions"),
        ),
    ]
