from django import template

from ..pictures import SheetPicture

register = template.Library()


@register.simple_tag
def sheet_picture(point, large_print=False):
    return SheetPicture.for_point(point, large_print)
