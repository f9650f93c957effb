from django import template

from .. import services
from ..pictures import SheetPicture

register = template.Library()


@register.simple_tag
def sheet_picture(item, large_print=False):
    return SheetPicture.for_item(item, large_print)


@register.simple_tag
def draft_from_session(session, practitioner):
    """The practitioner's draft sheet made from a session already, for the session page's
    buttons."""
    return services.draft_from_session(session=session, made_by=practitioner)
