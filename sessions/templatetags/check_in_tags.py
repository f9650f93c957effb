"""The check-in's questions, written here rather than in a template loop: the loop took
about 0.2 ms a question, 12 ms of the session form for its 58 (issue 16's benchmark);
this takes a tenth of that. The markup is the one sessions/_check_in.html wrapped around
it, which static/js/point_rows.js and the browser tests read."""

from django import template
from django.utils.html import format_html, format_html_join

from catalogue.caution_rules import Urgency

register = template.Library()

BADGE_CLASS = {Urgency.EMERGENCY: "text-bg-danger", Urgency.SAME_DAY: "text-bg-warning"}
QUESTION = (
    '\n    <div class="col-md-6 form-check check-in-question" data-testid="check-in-question"'
    ' data-code="{}" data-urgency="{}"{}>\n'
    '      <input class="form-check-input" type="checkbox" name="check_in_found" value="{}"'
    ' id="check-in-{}"{}>\n'
    '      <label class="form-check-label" for="check-in-{}">{}{}</label>\n'
    '      <div class="small text-danger check-in-what-to-do{}"'
    ' data-testid="check-in-what-to-do">{}</div>\n'
    "    </div>"
)


def _shown_for(question) -> str:
    """A warning sign is shown for its conditions (point_rows.js), a visit question always."""
    if not question.urgency:
        return ""
    return format_html(
        ' data-conditions="{}"{}',
        " ".join(question.conditions),
        " data-any-condition" if question.any_condition else "",
    )


def _badge(question) -> str:
    if not question.urgency:
        return ""
    return format_html(
        '<span class="badge {}">{}</span> ',
        BADGE_CLASS.get(question.urgency, "text-bg-secondary"),
        question.urgency_label,
    )


@register.simple_tag
def check_in_questions(questions, found):
    """One checkbox a question, ticked if `found` (the codes ticked) holds it, with what to
    do shown under the ticked ones."""
    found = set(found)
    return format_html_join(
        "",
        QUESTION,
        (
            (
                q.code,
                q.urgency,
                _shown_for(q),
                q.code,
                number,
                " checked" if q.code in found else "",
                number,
                _badge(q),
                q.text,
                "" if q.code in found else " d-none",
                q.what_to_do,
            )
            for number, q in enumerate(questions, 1)
        ),
    )
