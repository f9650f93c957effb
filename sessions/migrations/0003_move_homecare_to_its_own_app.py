"""Home care now has its own app (homecare 0001): the models leave this app's state only.
The tables are kept, under their old names, by the homecare models."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('homecare', '0001_initial'),
        ('treatment_sessions', '0002_add_homecare_sheets'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='HistoricalHomeCareItem'),
                migrations.DeleteModel(name='HistoricalHomeCareSheet'),
                migrations.DeleteModel(name='HomeCareItem'),
                migrations.DeleteModel(name='HomeCareSheet'),
            ],
        ),
    ]
