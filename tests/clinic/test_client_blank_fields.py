"""A client's blank optional fields, and their sessions' blank fields on the timeline, show
"—" on the client page, never "None" (issue 14)."""

import re

from django.urls import reverse

from ..factories import ClientFactory, TreatmentSessionFactory
from ..html_parts import parse

OPTIONAL = {
    "preferred_name": "",
    "date_of_birth": None,
    "phone": "",
    "email": "",
    "address": "",
    "emergency_contact": "",
    "primary_practitioner": None,
}


def test_blank_fields_show_a_dash_never_none(as_practitioner, practitioner):
    client = ClientFactory(clinic=practitioner.clinic, **OPTIONAL)
    TreatmentSessionFactory(
        client=client, practitioner=practitioner, pain_before=5, pain_after=None, outcome=""
    )

    response = as_practitioner.get(reverse("clinic:client-detail", args=[client.pk]))

    main = parse(response.content.decode()).one("main")
    shown = {dt.text: dt.next_element().text for dt in main.all("dt")}
    for label in (
        "Preferred name",
        "Date of birth",
        "Phone",
        "Email",
        "Address",
        "Emergency contact",
        "Primary practitioner",
    ):
        assert shown[label] == "—", (label, shown)
    assert shown["Consent"] == "Not recorded"
    row = main.one("tr", testid="timeline-session")
    assert row.one("td", testid="pain").text == "5 → —"
    assert row.all("td")[-1].text == "— Draft"  # the outcome, then the session's state
    assert not re.search(r"\bNone\b", main.text), main.text


def test_consent_without_a_recorder_names_no_one(as_practitioner, practitioner):
    client = ClientFactory(
        clinic=practitioner.clinic,
        consent_given_at="2026-01-05T10:00:00Z",
        consent_recorded_by=None,
    )

    response = as_practitioner.get(reverse("clinic:client-detail", args=[client.pk]))

    main = parse(response.content.decode()).one("main")
    shown = {dt.text: dt.next_element().text for dt in main.all("dt")}
    assert shown["Consent"].startswith("Given, recorded 5 Jan 2026")
    assert "by" not in shown["Consent"]
