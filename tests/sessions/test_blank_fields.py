"""A blank field on the session page shows "—", never "None": a blank adverse reaction
read as "no reaction" (issue 14)."""

import re

from django.urls import reverse

from ..factories import TreatedPointFactory, TreatmentSessionFactory
from ..html_parts import parse

BLANK = {
    "complaint": "",
    "pain_after": None,
    "outcome": "",
    "notes": "",
    "adverse_reaction": "",
    "follow_up": "",
}


def details(page):
    """The session's facts, label -> shown value."""
    facts = page.one("main").one("dl")
    return {dt.text: dt.next_element().text for dt in facts.all("dt")}


def test_blank_fields_show_a_dash_never_none(as_practitioner, practitioner, client_record):
    session = TreatmentSessionFactory(
        client=client_record, practitioner=practitioner, pain_before=6, **BLANK
    )
    TreatedPointFactory(session=session, response="")

    response = as_practitioner.get(reverse("sessions:session-detail", args=[session.pk]))

    page = parse(response.content.decode())
    shown = details(page)
    for label in ("Conditions", "Complaint", "Outcome", "Notes", "Adverse reaction", "Follow-up"):
        assert shown[label] == "—", (label, shown)
    assert shown["Pain"] == "6 → —"
    point_row = page.one("main").one("tbody").one("tr")
    assert point_row.all("td")[-1].text == "—"  # the point's response
    assert not re.search(r"\bNone\b", page.one("main").text), page.one("main").text


def test_filled_fields_show_as_written(as_practitioner, practitioner, client_record):
    session = TreatmentSessionFactory(
        client=client_record,
        practitioner=practitioner,
        pain_before=6,
        pain_after=2,
        adverse_reaction="Light bruising at LI4",
        follow_up="Review in a week",
    )

    response = as_practitioner.get(reverse("sessions:session-detail", args=[session.pk]))

    shown = details(parse(response.content.decode()))
    assert shown["Adverse reaction"] == "Light bruising at LI4"
    assert shown["Follow-up"] == "Review in a week"
    assert shown["Pain"] == "6 → 2"
