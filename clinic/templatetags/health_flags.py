from django import template

from catalogue.health_flags import BodyRegion, HealthFlag

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def region_label(code):
    return BodyRegion(code).label.lower() if code in BodyRegion.values else code


@register.filter
def flag_label(code):
    flag = HealthFlag.objects.filter(code=code).first()
    return flag.label if flag else code
