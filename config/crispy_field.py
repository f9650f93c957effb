"""crispy-bootstrap5's field template, its common cases written in Python.

Every crispy field is crispy's `bootstrap5/field.html` and three to five templates it
includes: about 0.8 ms a field, most of a form page's time (docs/benchmarks.md, issue 16).
`templates/bootstrap5/field.html` takes the template's name and calls the tag here, which
writes the fields our forms have (an input, a textarea, a select, a checkbox, a hidden
input, radio buttons and checkbox lists in their fieldset) the way the template does, and
hands anything else (files, multi-widgets, inline options, horizontal forms, label or field
classes, inline help, hidden labels, table cells) to crispy's own template, found past ours.
tests/test_crispy_field.py renders every case both ways and compares them.

Written here rather than taken from a library: crispy has no template-free renderer.
"""

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from config.widget_renderer import _attrs, _text

register = template.Library()

CRISPY_TEMPLATE = "bootstrap5/field.html"
# Widgets crispy's template lays out its own way (a file's name and "clear" box, a
# multi-widget's parts).
LAID_OUT = (forms.FileInput, forms.MultiWidget)
# Radio buttons and checkbox lists: a fieldset of options.
CHOICES = forms.RadioSelect


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
        and (isinstance(widget, CHOICES) or not field.use_fieldset)
        and not (
            isinstance(widget, CHOICES)
            and (context.get("inline_class") or context.get("flat_attrs"))
        )
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


def _errors(field: BoundField, context, inline=None) -> str:
    if not (context.get("form_show_errors") and field.errors):
        return ""
    inline = context.get("error_text_inline") if inline is None else inline
    tag = "span" if inline else "p"
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


def _option(field: BoundField, option: dict, invalid: str) -> str:
    value = _text(unlocalize(option["value"]))
    return (
        f'<input type="{_text(option["type"])}" class="form-check-input{invalid}"'
        f' name="{_text(field.html_name)}" value="{value}"{_attrs(option["attrs"])}>'
        f'<label for="{_text(option["attrs"].get("id", ""))}" class="form-check-label">'
        f"{_text(unlocalize(option['label']))}</label>"
    )


def render_choices(field: BoundField, context) -> str:
    """crispy's radio_checkbox_select.html in its fieldset, without inline options."""
    invalid = " is-invalid" if field.errors else ""
    groups = list(optgroups(field))
    written = []
    for group_number, (group, options, _) in enumerate(groups, start=1):
        if group:
            written.append(f"<strong>{_text(group)}</strong>")
        for option_number, option in enumerate(options, start=1):
            last = option_number == len(options) and group_number == len(groups)
            errors = _errors(field, context, inline=False) if last else ""
            written.append(
                f'<div class="form-check">{_option(field, option, invalid)}{errors}</div>'
            )
    html = f"<div>{''.join(written)}</div>{_help(field)}"
    if field.label:
        required = " requiredField" if field.field.required else ""
        described = field.aria_describedby
        described = f' aria-describedby="{_text(described)}"' if described else ""
        label_for = f'for="{_text(field.id_for_label)}" ' if field.id_for_label else ""
        legend = (
            f'<legend {label_for}class="form-label{required} fs-6">{_label_text(field)}</legend>'
        )
        html = f"<fieldset{described}>{legend}{html}</fieldset>"
    classes = _wrapper_classes(field, context, "mb-3")
    return f'<div id="div_{_text(field.auto_id)}" class="{classes}">{html}</div>'


def render_plain(field: BoundField, context) -> str:
    widget = field.field.widget
    if isinstance(widget, CHOICES):
        return render_choices(field, context)
    invalid = " is-invalid" if field.errors else ""
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
