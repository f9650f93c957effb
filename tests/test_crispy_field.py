"""crispy's field template written in Python (config/crispy_field.py) draws what crispy draws.

Each case is rendered twice from fresh forms: through templates/bootstrap5/field.html (the
tag), and with the tag's plain case switched off, so every field goes to crispy-bootstrap5's
own template. The two must be the same HTML (whitespace aside)."""

import re

import pytest
from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.template import Context, Template
from django.template.loader import get_template
from django.test.html import parse_html
from django.urls import reverse
from django.utils.safestring import mark_safe

import config.crispy_field
from tests.crispy_both_ways import both_ways, page_both_ways

COLOURS = [("", "---------"), ("red", "Red & <rose>"), ("blue", "Blue")]


class EveryKindForm(forms.Form):
    error_css_class = "has-error"
    required_css_class = "is-required"

    name = forms.CharField(max_length=20, help_text=mark_safe("Your <em>own</em> name."))
    nickname = forms.CharField(required=False, label="")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    colour = forms.ChoiceField(choices=COLOURS)
    colours = forms.MultipleChoiceField(choices=COLOURS[1:], required=False)
    wants_mail = forms.BooleanField(required=False, help_text="Tick & go")
    agrees = forms.BooleanField(label="I <agree>")
    count = forms.IntegerField(widget=forms.NumberInput(attrs={"class": "narrow"}))
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    side = forms.ChoiceField(
        choices=[("left", "Left"), ("right", "Right")], widget=forms.RadioSelect
    )
    flags = forms.MultipleChoiceField(
        choices=COLOURS[1:], widget=forms.CheckboxSelectMultiple, required=False
    )
    points = forms.MultipleChoiceField(
        choices=[
            ("Hands", [("LI4", "Hegu"), ("PC6", "Nei <Guan>")]),
            ("Feet", [("LR3", "Taichong")]),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text="Pick any.",
    )
    none_to_pick = forms.MultipleChoiceField(choices=[], widget=forms.CheckboxSelectMultiple)
    upload = forms.FileField(required=False)
    starts = forms.SplitDateTimeField(required=False)

    def clean(self):
        self.add_error("count", "Second <problem> too.")
        return super().clean()


BAD = {
    "name": "x" * 30,
    "colour": "green",
    "count": "many",
    "when": "soon",
    "starts_0": "no",
    "flags": ["red", "green"],
}
GOOD = {
    "name": "Ann",
    "colour": "red",
    "count": "3",
    "agrees": "on",
    "side": "left",
    "flags": ["red"],
    "points": ["LI4", "LR3"],
}


def _helper(**options):
    helper = FormHelper()
    for name, value in options.items():
        setattr(helper, name, value)
    return helper


def _render(source: str, data, helper=None, auto_id="id_%s") -> str:
    form = EveryKindForm(data, auto_id=auto_id)
    if helper is not None:
        form.helper = helper
    if data is not None:
        form.is_valid()
    return Template("{% load crispy_forms_tags %}" + source).render(Context({"form": form}))


@pytest.fixture
def plain_calls(monkeypatch):
    calls = []
    real = config.crispy_field.render_plain

    def counted(field, context):
        calls.append(field.name)
        return real(field, context)

    monkeypatch.setattr(config.crispy_field, "render_plain", counted)
    return calls


EACH_FIELD = "".join(
    f"{{{{ form.{name}|as_crispy_field }}}}"
    for name in EveryKindForm.base_fields
    if name != "starts"
)
ENTRY_POINTS = {
    "as_crispy_field": (EACH_FIELD, None),
    "crispy filter": ("{{ form|crispy }}", None),
    "crispy tag": ("{% crispy form %}", {}),
    "helper, errors as blocks": ("{% crispy form %}", {"error_text_inline": False}),
    "helper, no errors shown": ("{% crispy form %}", {"form_show_errors": False}),
    "helper, no labels": ("{% crispy form %}", {"form_show_labels": False}),
    "helper, inline help": ("{% crispy form %}", {"help_text_inline": True}),
    "helper, horizontal": (
        "{% crispy form %}",
        {"form_class": "form-horizontal", "label_class": "col-3", "field_class": "col-9"},
    ),
    "helper, wrapper class": (
        "{% crispy form %}",
        {
            "layout": Layout(
                *[Field(name, wrapper_class="w-50") for name in EveryKindForm.base_fields]
            )
        },
    ),
    "inline radios and checkboxes": (
        "{% crispy form %}",
        {
            "layout": Layout(
                *[name for name in EveryKindForm.base_fields if name not in ("side", "flags")],
                InlineRadios("side"),
                InlineCheckboxes("flags"),
            )
        },
    ),
    "field with its own template context": (
        "{% crispy form %}",
        {"layout": Layout(*[Field(name, css_class="extra") for name in EveryKindForm.base_fields])},
    ),
}


@pytest.mark.parametrize("data", [None, BAD, GOOD], ids=["unbound", "with errors", "valid"])
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_each_way_into_crispy_draws_what_crispy_draws(monkeypatch, entry, data):
    source, options = ENTRY_POINTS[entry]
    written, drawn = both_ways(
        monkeypatch,
        lambda: _render(
            source, data, None if options is None else _helper(form_tag=False, **options)
        ),
    )
    assert parse_html(written) == parse_html(drawn), entry


def test_without_ids_the_fields_are_drawn_alike(monkeypatch):
    written, drawn = both_ways(
        monkeypatch, lambda: _render("{{ form|crispy }}", BAD, auto_id=False)
    )
    assert parse_html(written) == parse_html(drawn)
    assert 'for="' not in re.sub(r'class="form-check-label[^"]*"', "", written.split("colours")[0])


def test_plain_fields_are_written_in_python_and_the_rest_go_to_crispy(plain_calls):
    html = _render("{{ form|crispy }}", BAD)
    assert plain_calls == [
        "name",
        "nickname",
        "notes",
        "colour",
        "colours",
        "wants_mail",
        "agrees",
        "count",
        "when",
        "side",
        "flags",
        "points",
        "none_to_pick",
    ]
    # The fields left to crispy's template are still drawn.
    for name in ("upload", "starts"):
        assert f'name="{name}' in html


def test_options_crispy_lays_out_itself_go_to_its_template(plain_calls):
    _render("{% crispy form %}", BAD, _helper(form_class="form-horizontal", label_class="col-3"))
    _render("{% crispy form %}", BAD, _helper(help_text_inline=True))
    _render("{% crispy form %}", BAD, _helper(form_show_labels=False))
    assert plain_calls == []
    inline = Layout(InlineRadios("side"), InlineCheckboxes("flags"))
    _render("{% crispy form %}", BAD, _helper(layout=inline))
    assert plain_calls == []


def test_what_the_python_fields_write():
    html = _render("{{ form.count|as_crispy_field }}{{ form.agrees|as_crispy_field }}", BAD)
    count = (
        '<div id="div_id_count" class="mb-3 has-error is-required">'
        '<label for="id_count" class="form-label requiredField">Count'
        '<span class="asteriskField">*</span></label>'
        '<input type="number" name="count" value="many"'
        ' class="narrow numberinput form-control is-invalid"'
        ' required aria-invalid="true" aria-describedby="id_count_error" id="id_count">'
        '<div id="id_count_error" class="invalid-feedback">'
        '<p id="error_1_id_count"><strong>Enter a whole number.</strong></p>'
        '<p id="error_2_id_count"><strong>Second &lt;problem&gt; too.</strong></p></div></div>'
    )
    agrees = (
        '<div class="mb-3"><div id="div_id_agrees" class="form-check has-error is-required">'
        '<input type="checkbox" name="agrees" class="checkboxinput form-check-input is-invalid"'
        ' required aria-invalid="true" aria-describedby="id_agrees_error" id="id_agrees">'
        '<label for="id_agrees" class="form-check-label requiredField">I &lt;agree&gt;'
        '<span class="asteriskField">*</span></label>'
        '<div id="id_agrees_error" class="invalid-feedback">'
        '<p id="error_1_id_agrees"><strong>This field is required.</strong></p></div></div></div>'
    )
    assert parse_html(html) == parse_html(count + agrees)


def test_our_template_takes_crispys_name():
    assert get_template("bootstrap5/field.html").origin.name.endswith(
        "templates/bootstrap5/field.html"
    )


PAGES = {
    "new client": lambda client_record: "/clients/new/",
    "client edit": lambda client_record: reverse("clinic:client-update", args=[client_record.pk]),
    "new session": lambda client_record: reverse(
        "sessions:session-create", args=[client_record.pk]
    ),
}


@pytest.mark.parametrize("posted", [False, True], ids=["as offered", "posted with errors"])
@pytest.mark.parametrize("page", PAGES)
def test_the_form_pages_are_drawn_alike(
    as_practitioner, catalogue, client_record, monkeypatch, page, posted
):
    url = PAGES[page](client_record)

    def fetch():
        if posted:
            return as_practitioner.post(url, {"first_name": "", "email": "not mail"})
        return as_practitioner.get(url)

    written, drawn = page_both_ways(monkeypatch, fetch)
    assert parse_html(written) == parse_html(drawn)
    assert ("invalid-feedback" in written) is posted
    assert 'type="checkbox"' in written
