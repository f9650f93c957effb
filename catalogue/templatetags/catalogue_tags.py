from django import template

from catalogue.figures import point_picture as render_point_picture

register = template.Library()


@register.simple_tag
def point_picture(point, css_class="point-figure"):
    return render_point_picture(point, css_class)


@register.filter
def minutes(seconds):
    """180 -> '3 min', 90 -> '1 min 30 s'."""
    if seconds is None:
        return ""
    whole, rest = divmod(int(seconds), 60)
    if not whole:
        return f"{rest} s"
    return f"{whole} min" + (f" {rest} s" if rest else "")
