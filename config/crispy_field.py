"""crispy-bootstrap5's field template, its common case written in Python.

Every crispy field is crispy's `bootstrap5/field.html` and three to five templates it
includes: about 0.8 ms a field, most of a form page's time (docs/benchmarks.md, issue 16).
`templates/bootstrap5/field.html` takes the template's name and calls the tag here, which
writes a plain field (an input, a textarea, a select, a checkbox, a hidden input) the way
the template does, and hands anything else (radio buttons and checkbox lists, files,
multi-widgets, horizontal forms, label or field classes, inline help, fieldsets, table
cells) to crispy's own template, found past ours. tests/test_crispy_field.py renders every
case both ways and compares them.

Written here rather than taken from a library: crispy has no template-free renderer.
"""

from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from config.widget_renderer import _text

register = template.Library()

CRISPY_TEMPLATE = "bootstrap5/field.html"
# Widgets that are not one plain element: crispy's template lays them out.
LAID_OUT = (forms.RadioSelect, forms.FileInput, forms.MultiWidget)


def _crispy_template(own_origin):
    found, _ = own_origin.loader.engine.find_template(CRISPY_TEMPLATE, skip=[own_origin])
    return found


def _plain(context) -> bool:
    """The case written here: crispy's template with none of its options in play."""
    field = context.get("field")
    if not isinstance(field, BoundField):
        return False
    widget = field.field.widget
    if isinstance(widget, LAID_OUT) or hasattr(widget, "widget") or hasattr(widget, "widgets"):
        return False
    form_class = context.get("form_class") or ""
    return (
        isinstance(form_class, str)
        and "form-horizontal" not in form_class
        and not context.get("tag")
        and not context.get("label_class")
        and not context.get("field_class")
        and not context.get("help_text_inline")
        and bool(context.get("form_show_labels"))
        and not field.use_fieldset
    )


def _add_classes(field: BoundField, classes: str) -> None:
    """crispy's {% crispy_field field 'class' classes %}: the widget's own class name
    (through CRISPY_CLASS_CONVERTERS) and `classes`, each once, kept on the widget."""
    widget = field.field.widget
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if not css_class:
        css_class = class_name
    elif css_class.find(class_name) == -1:
        css_class += f" {class_name}"
    words = css_class.split()
    for word in classes.split():
        if word not in words:
            css_class += f" {word}"
            words.append(word)
    widget.attrs["class"] = css_class


def _label_text(field: BoundField) -> str:
    star = '<span class="asteriskField">*</span>' if field.field.required else ""
    return _text(field.label) + star


def _errors(field: BoundField, context) -> str:
    if not (context.get("form_show_errors") and field.errors):
        return ""
    tag = "span" if context.get("error_text_inline") else "p"
    auto_id = _text(field.auto_id)
    lines = "".join(
        f'<{tag} id="error_{n}_{auto_id}"><strong>{_text(error)}</strong></{tag}>'
        for n, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{_text(field.errors.field_id)}_error" class="invalid-feedback">{lines}</div>'


def _help(field: BoundField) -> str:
    if not field.help_text:
        return ""
    named = f'id="{_text(field.auto_id)}_helptext" ' if field.auto_id else ""
    return f'<div {named}class="form-text">{mark_safe(str(field.help_text))}</div>'


def _wrapper_classes(field: BoundField, context, first: str) -> str:
    classes = first
    if wrapper_class := context.get("wrapper_class"):
        classes += f" {_text(wrapper_class)}"
    if css_classes := field.css_classes():
        classes += f" {_text(css_classes)}"
    return classes


def render_plain(field: BoundField, context) -> str:
    invalid = " is-invalid" if field.errors else ""
    widget = field.field.widget
    help_and_errors = _errors(field, context) + _help(field)
    div_id = f"div_{_text(field.auto_id)}"
    if isinstance(widget, forms.CheckboxInput):
        _add_classes(field, "form-check-input" + invalid)
        required = " requiredField" if field.field.required else ""
        label = (
            f'<label for="{_text(field.id_for_label)}" class="form-check-label{required}">'
            f"{_label_text(field)}</label>"
        )
        classes = _wrapper_classes(field, context, "form-check")
        return (
            f'<div class="mb-3"><div id="{div_id}" class="{classes}">'
            f"{field}{label}{help_and_errors}</div></div>"
        )
    label = ""
    if field.label:
        required = " requiredField" if field.field.required else ""
        label_for = f'for="{_text(field.id_for_label)}" ' if field.id_for_label else ""
        label = f'<label {label_for}class="form-label{required}">{_label_text(field)}</label>'
    _add_classes(
        field, ("form-select" if isinstance(widget, forms.Select) else "form-control") + invalid
    )
    classes = _wrapper_classes(field, context, "mb-3")
    return f'<div id="{div_id}" class="{classes}">{label}{field}{help_and_errors}</div>'


class FieldNode(template.Node):
    def __init__(self, origin):
        self.origin = origin
        self.crispy = None

    def render(self, context):
        field = context.get("field")
        if isinstance(field, BoundField) and field.is_hidden:
            return conditional_escape(field)
        if _plain(context):
            return SafeString(render_plain(field, context))
        if self.crispy is None:
            self.crispy = _crispy_template(self.origin)
        return self.crispy.render(context)


@register.tag
def bootstrap5_field(parser, token):
    """{% bootstrap5_field %}: the field in the context, as crispy-bootstrap5 draws it."""
    return FieldNode(parser.origin)
