# Failed logins are counted by django-axes now (clinic/throttle.py).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0006_roles_second_factor_setting_access_log"),
    ]

    operations = [
        migrations.DeleteModel(
            name="LoginFailure",
        ),
    ]
