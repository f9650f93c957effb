from django import template

from catalogue.tool_words import other_tool_named

from .. import services
from ..pictures import SheetPicture

register = template.Library()


@register.simple_tag
def sheet_picture(item, large_print=False):
    return SheetPicture.for_item(item, large_print)


@register.filter
def unbroken(text):
    """'3 min' kept on one line."""
    return str(text).replace(" ", "\u00a0")


@register.filter
def instead_of(tool, instructions):
    """', instead of the pencil eraser' when the text names a tool the sheet does not use."""
    other = other_tool_named(instructions, tool.slug)
    return f", instead of the {other}" if other else ""


@register.simple_tag
def draft_from_session(session, practitioner):
    """The practitioner's draft sheet made from a session already, for the session page's
    buttons."""
    return services.draft_from_session(session=session, made_by=practitioner)
