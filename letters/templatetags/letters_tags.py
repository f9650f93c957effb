from django import template

from .. import content, roles
from ..models import ReferralLetter

register = template.Library()


@register.simple_tag
def letter_button(session, practitioner):
    """For the session page: "open" with the session's letter, "make" when its check-in
    found a warning sign and the practitioner treated, else None (no button)."""
    if not content.found_a_warning_sign(session):
        return None
    letter = ReferralLetter.objects.defer("pdf").filter(session=session).first()
    if letter is not None:
        return {"action": "open", "letter": letter}
    if roles.is_treating(session, practitioner):
        return {"action": "make"}
    return None
