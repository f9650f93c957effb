"""The check-in's questions on the session form (written by sessions/templatetags/
check_in_tags.py, not a template loop): what point_rows.js reads off each one, the ticked
ones ticked with what to do shown, and the catalogue's text escaped."""

import pytest
from django.urls import reverse

from catalogue.models import WarningSign

from ..html_parts import parse

pytestmark = pytest.mark.django_db


def questions_on(response):
    return (
        parse(response.content.decode())
        .one("fieldset", id="check-in")
        .all("div", testid="check-in-question")
    )


def test_each_question_carries_what_the_page_script_reads(
    as_practitioner, client_record, catalogue
):
    response = as_practitioner.get(reverse("sessions:session-create", args=[client_record.pk]))
    questions = questions_on(response)
    fever = next(q for q in questions if q.attrs["data-code"] == "flag:fever_acute_illness")
    assert fever.attrs["data-urgency"] == "" and "data-conditions" not in fever.attrs
    box = fever.one("input")
    assert (box.attrs["name"], box.attrs["value"]) == ("check_in_found", fever.attrs["data-code"])
    assert "checked" not in box.attrs
    assert fever.one("label").attrs["for"] == box.attrs["id"]
    assert "d-none" in fever.one("div", testid="check-in-what-to-do").attrs["class"].split()

    signs = [q for q in questions if q.attrs["data-urgency"]]
    stored = {sign.key: sign for sign in WarningSign.objects.prefetch_related("conditions")}
    assert signs and len({q.one("input").attrs["id"] for q in questions}) == len(questions)
    for question in signs:
        sign = stored[question.attrs["data-code"].removeprefix("sign:")]
        assert question.attrs["data-conditions"].split() == sorted(
            condition.slug for condition in sign.conditions.all()
        )
        assert ("data-any-condition" in question.attrs) == sign.any_condition
        assert question.one("span", cls="badge").text == sign.get_urgency_display()
        assert question.one("label").text == f"{sign.get_urgency_display()} {sign.sign}"


def test_a_ticked_question_stays_ticked_with_what_to_do_and_text_is_escaped(
    as_practitioner, client_record, catalogue
):
    from .page_support import session_form

    sign = WarningSign.objects.filter(any_condition=True, is_active=True).first()
    sign.sign = "Chest pain <b>now</b> & breathless"
    sign.save()
    code = f"sign:{sign.key}"
    url = reverse("sessions:session-create", args=[client_record.pk])
    response = as_practitioner.post(url, session_form(check_in_found=[code]))  # not acknowledged

    assert response.status_code == 200
    assert "Chest pain &lt;b&gt;now&lt;/b&gt; &amp; breathless" in response.content.decode()
    (ticked,) = [q for q in questions_on(response) if "checked" in q.one("input").attrs]
    assert ticked.attrs["data-code"] == code
    what_to_do = ticked.one("div", testid="check-in-what-to-do")
    assert "d-none" not in what_to_do.attrs["class"].split() and what_to_do.text
