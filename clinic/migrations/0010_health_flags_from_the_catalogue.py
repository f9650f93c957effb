"""Clients' flags onto the catalogue's vocabulary, losing none: "blood thinners" is now
"anticoagulant"; the old "recent surgery or fracture" and "skin lesions or varicose veins"
each stood for two flags, so the client gets both, to be narrowed by the practitioner."""

from django.db import migrations

MAPPED = {
    "blood_thinners": ["anticoagulant"],
    "recent_surgery": ["recent_surgery", "recent_fracture"],
    "skin_lesions": ["skin_broken", "varicose_veins"],
}


def map_flags(apps, schema_editor):
    Client = apps.get_model("clinic", "Client")
    for client in Client.objects.exclude(health_flags=[]).iterator():
        flags = sorted({new for old in client.health_flags for new in MAPPED.get(old, [old])})
        if flags != client.health_flags:
            client.health_flags = flags
            client.save(update_fields=["health_flags"])


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0009_client_flag_sites_historicalclient_flag_sites"),
        ("catalogue", "0004_seed_flags_regions_and_keep_edited_cautions"),
    ]

    operations = [migrations.RunPython(map_flags, migrations.RunPython.noop)]
