"""The account page's second-factor section: `{% second_factor_status as sf %}`."""

from django import template

from .. import second_factor

register = template.Library()


@register.simple_tag(takes_context=True)
def second_factor_status(context):
    user = context["request"].user
    app = second_factor.authenticator(user)
    return {
        "app": app,
        "required": second_factor.required_because(user),
        "codes_left": second_factor.recovery_codes_left(user) if app else 0,
    }
