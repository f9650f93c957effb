from django import template

from scheduling.today_list import today_items as today_items_of

register = template.Library()


@register.simple_tag(takes_context=True)
def today_items(context, appointments):
    """The dashboard's appointments today (scheduling/today_list.py), with the page's CSRF
    token in their forms, as `{% csrf_token %}` would write it."""
    return today_items_of(appointments, csrf_token=context.get("csrf_token"))
