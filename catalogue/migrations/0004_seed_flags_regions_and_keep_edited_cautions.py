"""The flag vocabulary seeded (so a client's flags always have one), the old 12 regions
moved onto the facts' 17, and any point caution edited or added in the admin kept as a
rule (the shipped ones come back from the facts with the next catalogue load)."""

from django.db import migrations

from catalogue.fingerprints import FIELDS_UNTIL_ISSUE_13, point_fingerprint
from catalogue.loading import shipped_health_flags, values_fingerprint

OLD_REGIONS = {"head_face": "head", "leg": "lower_leg", "hip": "thigh"}
OLD_FLAGS = {"blood_thinners": "anticoagulant", "skin_lesions": "varicose_veins"}
# The notes shipped with the old caution list: a caution with another note was edited here.
SHIPPED_NOTES = {
    "Traditionally avoided in pregnancy: use practitioner judgement.",
    "Lower abdomen: great care in pregnancy. Use practitioner judgement.",
    "Abdomen: great care in pregnancy. Use practitioner judgement.",
    "Behind the knee: press gently and avoid varicose veins.",
    "Avoid pressing over varicose veins on the inner shin.",
    "Skip a swollen, hot or vein-marked calf.",
}


def seed_flags(apps, schema_editor):
    HealthFlag = apps.get_model("catalogue", "HealthFlag")
    for code, values in shipped_health_flags():
        HealthFlag.objects.get_or_create(
            code=code, defaults={**values, "shipped_fingerprint": values_fingerprint(values)}
        )


def move_regions(apps, schema_editor):
    Point = apps.get_model("catalogue", "Point")
    for point in Point.objects.exclude(region="").filter(region__in=list(OLD_REGIONS)):
        unedited = point_fingerprint(point, FIELDS_UNTIL_ISSUE_13) == point.shipped_fingerprint
        point.region = OLD_REGIONS[point.region]
        if unedited:  # still the shipped text: the next load may refine it
            point.shipped_fingerprint = point_fingerprint(point, FIELDS_UNTIL_ISSUE_13)
        point.save(update_fields=["region", "shipped_fingerprint"])
    Condition = apps.get_model("catalogue", "Condition")
    for condition in Condition.objects.filter(body_area__in=list(OLD_REGIONS)):
        condition.body_area = OLD_REGIONS[condition.body_area]
        condition.save(update_fields=["body_area"])


def keep_edited_cautions(apps, schema_editor):
    Caution = apps.get_model("catalogue", "Caution")
    HealthFlag = apps.get_model("catalogue", "HealthFlag")
    CautionRule = apps.get_model("catalogue", "CautionRule")
    for caution in Caution.objects.exclude(note__in=SHIPPED_NOTES).select_related("point"):
        flag = HealthFlag.objects.get(code=OLD_FLAGS.get(caution.flag, caution.flag))
        CautionRule.objects.get_or_create(
            key=f"kept-{caution.point.code.lower()}-{caution.flag.replace('_', '-')}"[:60],
            defaults={
                "flag": flag,
                "scope": "point",
                "point": caution.point,
                "action": "caution_note",
                "practitioner_note": caution.note,
                "client_note": "Ask your practitioner about this point before you press it.",
                "sources": caution.sources,
                "strength": "some sources",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_health_flags_and_caution_rules")]

    operations = [
        migrations.RunPython(seed_flags, migrations.RunPython.noop),
        migrations.RunPython(move_regions, migrations.RunPython.noop),
        migrations.RunPython(keep_edited_cautions, migrations.RunPython.noop),
    ]
