import json

from django import template

from sessions.body_figure import marked_views, picking_figure

register = template.Library()


def _posted_marks(value):
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return value if isinstance(value, list) else []


@register.simple_tag(takes_context=True)
def session_body_figure(context):
    """The session form's figure, from the page's rule book, rows and pain marks."""
    formset, form = context["formset"], context["form"]
    forms = formset.live_forms()
    return picking_figure(
        book=context["rule_book"],
        first_code=forms[0]["point"].value() if forms else "",
        pain_marks=_posted_marks(form["pain_marks"].value()),
    )


@register.simple_tag
def session_marked_views(session, with_point_views=True, css_class="pain-figure"):
    return marked_views(session, with_point_views=with_point_views, css_class=css_class)
