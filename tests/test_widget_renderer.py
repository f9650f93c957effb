"""The widgets written in Python (config/widget_renderer.py) give the templates' markup exactly."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from config.widget_renderer import WidgetRenderer

TEMPLATES, PYTHON = DjangoTemplates(), WidgetRenderer()
CHOICES = [("", "---------"), (1, "One & <two>"), ("b", mark_safe("<b>bold</b>")), (3, 3)]
GROUPED = [("Hands", [("LI4", "Hegu"), ("PC6", 'Nei "Guan"')]), ("other", "Other")]

CASES = [
    (forms.TextInput(attrs={"maxlength": 100, "required": True, "autofocus": False}), "<O'Neil>"),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(), mark_safe("<i>kept</i>")),
    (forms.NumberInput(attrs={"min": 0, "max": 10, "step": "any"}), 0),
    (forms.NumberInput(), Decimal("2.50")),
    (forms.EmailInput(), "a@example.com"),
    (forms.PasswordInput(render_value=True), 's3cret"&'),
    (forms.HiddenInput(attrs={"data-x": '{"a": 1}'}), 7),
    (forms.DateInput(attrs={"type": "date"}), datetime.date(2026, 12, 5)),
    (forms.DateTimeInput(attrs={"type": "datetime-local"}), datetime.datetime(2026, 12, 5, 9, 30)),
    (forms.TimeInput(), datetime.time(14, 5)),
    (forms.URLInput(), "https://example.com/?a=1&b=2"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(attrs={"rows": 3}), "line one\n<line two> & three"),
    (forms.Textarea(), ""),
    (forms.Textarea(), None),
    (forms.Select(choices=CHOICES), 1),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=GROUPED, attrs={"class": "form-select"}), "PC6"),
    (forms.SelectMultiple(choices=CHOICES), [1, "b"]),
    (forms.NullBooleanSelect(), True),
]


@pytest.mark.parametrize(("widget", "value"), CASES, ids=[type(w).__name__ for w, _ in CASES])
def test_each_widget_is_written_as_its_template_writes_it(widget, value):
    expected = widget.render("field", value, attrs={"id": "id_field"}, renderer=TEMPLATES)
    written = widget.render("field", value, attrs={"id": "id_field"}, renderer=PYTHON)
    assert written == expected


def test_a_widget_with_its_own_option_template_goes_to_the_templates():
    class Starred(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Starred(choices=CHOICES)
    assert widget.render("f", 1, renderer=PYTHON) == widget.render("f", 1, renderer=TEMPLATES)
    assert "<input" in widget.render("f", 1, renderer=PYTHON)


def test_other_widgets_and_whole_forms_still_render_through_the_templates():
    class Form(forms.Form):
        name = forms.CharField(help_text="As on their ID")
        flags = forms.MultipleChoiceField(choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple)
        side = forms.ChoiceField(choices=[("l", "Left"), ("r", "Right")], widget=forms.RadioSelect)
        when = forms.SplitDateTimeField()

    bound = Form({"name": "", "flags": ["1"], "side": "r"})
    assert bound.render(renderer=PYTHON) == bound.render(renderer=TEMPLATES)
    assert "This field is required." in bound.render(renderer=PYTHON)


def test_the_app_renders_its_widgets_this_way(settings):
    assert settings.FORM_RENDERER == "config.widget_renderer.WidgetRenderer"
