from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_seed_flags_regions_and_keep_edited_cautions")]

    operations = [migrations.DeleteModel(name="Caution")]
