from django import template

from .. import services
from ..pictures import SheetPicture

register = template.Library()


@register.simple_tag
def sheet_picture(point, large_print=False):
    return SheetPicture.for_point(point, large_print)


@register.simple_tag
def draft_from_session(session):
    """The draft sheet already made from a session, for the session page's buttons."""
    return services.draft_from_session(session=session)
