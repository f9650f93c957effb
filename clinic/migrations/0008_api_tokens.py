# API tokens that expire, one per login and device, kept as a SHA-256 (clinic/api_tokens.py).
#
# DRF's `rest_framework.authtoken` is no longer installed. Its tokens, kept in plain text and
# valid forever, are carried over as hashes that expire API_TOKEN_DAYS after they were made,
# as every token now does: a token made more than that long ago stops working at once, a
# newer one keeps its remaining days. Then its table, migration records and content types
# go (admin log entries about tokens keep their text, without a link).

import hashlib
from datetime import UTC, datetime, timedelta

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

OLD_TABLE = "authtoken_token"
CARRIED_OVER = "Token from before expiry"


def aware(created):
    """As SQLite's raw rows give it (naive UTC, or text) or PostgreSQL's (aware)."""
    if isinstance(created, str):
        created = datetime.fromisoformat(created)
    return created if created.tzinfo else created.replace(tzinfo=UTC)


def carry_over_authtoken_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    days = timedelta(days=getattr(settings, "API_TOKEN_DAYS", 30))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id, created FROM {OLD_TABLE}")
        old = cursor.fetchall()
    now = django.utils.timezone.now()
    ApiToken = apps.get_model("clinic", "ApiToken")
    carried = []
    for key, user_id, created in old:
        made = aware(created)
        if made + days > now:  # else expired already: not carried over
            digest = hashlib.sha256(key.encode()).hexdigest()
            carried.append(
                ApiToken(
                    user_id=user_id,
                    device=CARRIED_OVER,
                    digest=digest,
                    created_at=made,
                    expires_at=made + days,
                )
            )
    ApiToken.objects.bulk_create(carried)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {OLD_TABLE}")
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0007_remove_login_failure"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("device", models.CharField(default="Unnamed device", help_text="Named at login, e.g. Front desk iPad.", max_length=100)),
                ("digest", models.CharField(editable=False, max_length=64, unique=True, verbose_name="SHA-256 of the token")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField(db_index=True)),
                ("last_used_at", models.DateTimeField(blank=True, help_text="Updated at most once a minute.", null=True)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "API token",
                "ordering": ["-created_at", "-pk"],
                "constraints": [models.CheckConstraint(condition=models.Q(("expires_at__gt", models.F("created_at"))), name="api_token_expires_after_creation")],
            },
        ),
        # Backwards the old tokens are not restored: their secrets were never kept.
        migrations.RunPython(carry_over_authtoken_tokens, migrations.RunPython.noop),
    ]
