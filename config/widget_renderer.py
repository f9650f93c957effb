"""Django's form renderer, with the stock widgets most of our forms use written in Python.

Django renders every widget through its templates: an <input> is three templates (text.html,
input.html, attrs.html), and a <select> one more per option. At a form of twenty fields that
is most of the page's time (docs/benchmarks.md, issue 16). The markup here is the templates'
markup, character for character (tests/test_widget_renderer.py renders each widget both ways);
any other template, or an option of a widget with its own option template, goes to the
templates as before.

Written here rather than taken from a library: none we found renders Django's own widget
markup without templates (Django's Jinja2 renderer still spends its time per template, and
was measured no faster).
"""

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
OPTION = WIDGETS + "select_option.html"
# What {{ }} does to a value in the widget templates (localized, then escaped).
_PLAIN = Context(autoescape=True)


def _text(value) -> str:
    return render_value_in_context(value, _PLAIN)


def _string(value) -> str:
    """{{ value|stringformat:'s' }}: "%s" of it, still safe if it was safe, then escaped."""
    formatted = "%s" % (str(value) if isinstance(value, tuple) else value)
    return conditional_escape(mark_safe(formatted) if isinstance(value, SafeData) else formatted)


def _attrs(attrs: dict) -> str:
    written = []
    for name, value in attrs.items():
        if value is False:
            continue
        written.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"')
    return "".join(written)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    named = f'type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
    return f"<input {named}{value}{_attrs(widget['attrs'])}>"


def _textarea(widget: dict) -> str:
    text = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def _option(option: dict) -> str:
    value = f'value="{_string(option["value"])}"{_attrs(option["attrs"])}'
    return f"<option {value}>{_text(option['label'])}</option>"


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            # Each option is its template's output, which ends in a line break.
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


INPUTS = ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
          "checkbox", "search", "tel", "color", "input")
WRITERS = {f"{WIDGETS}{name}.html": _input for name in INPUTS}
WRITERS[WIDGETS + "textarea.html"] = _textarea
WRITERS[WIDGETS + "select.html"] = _select


class WidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        if writer is not None and set(context) == {"widget"}:
            written = writer(context["widget"])
            if written is not None:
                return written
        return super().render(template_name, context, request=request)
