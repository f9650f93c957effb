"""The rules acting on a session through its service (pages and API share it): each scope,
the age rules, and the check-in."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalogue.models import Point, PressureTool
from sessions import services
from sessions.rows import PointRow

from ..factories import ClientFactory

pytestmark = pytest.mark.django_db


def point(code):
    return Point.objects.select_related("default_tool").get(code=code)


def tool(slug):
    return PressureTool.objects.get(slug=slug)


def record(practitioner, client, rows, **values):
    return services.record_session(
        client=client,
        practitioner=practitioner,
        started_at=timezone.now() - timedelta(minutes=30),
        pain_before=6,
        **values,
        points=rows,
    )


def refusal(practitioner, client, rows, **values) -> str:
    with pytest.raises(ValidationError) as refused:
        record(practitioner, client, rows, **values)
    return " ".join(refused.value.message_dict.get("acknowledged_cautions", []))


def client_with(practitioner, *flags, born=date(1980, 5, 1), **extra):
    return ClientFactory(
        clinic=practitioner.clinic, health_flags=list(flags), date_of_birth=born, **extra
    )


def test_a_point_rule_is_shown_and_a_note_needs_no_acknowledgement(practitioner, catalogue):
    client = client_with(practitioner, "pregnancy")
    session = record(practitioner, client, [PointRow(point=point("LI4"), pressure="light")])
    assert session.acknowledged_cautions == []


def test_an_avoid_point_needs_its_own_acknowledgement(practitioner, catalogue):
    client = client_with(practitioner, "pregnancy")
    rows = [PointRow(point=point("CV4"), tool=tool("thumb"), pressure="light")]
    message = refusal(practitioner, client, rows)
    assert "CV4 Pregnancy: avoid (CV4)" in message
    assert "CV4 Pregnancy: avoid (abdomen)" in message
    labels = ["CV4 Pregnancy: avoid (CV4)", "CV4 Pregnancy: avoid (abdomen)"]
    session = record(practitioner, client, rows, acknowledged_cautions=labels[:1] + labels[1:])
    assert session.acknowledged_cautions == labels
    assert session.caution_acknowledged


def test_one_acknowledgement_is_not_all_of_them(practitioner, catalogue):
    client = client_with(practitioner, "pregnancy")
    rows = [PointRow(point=point("CV4"), tool=tool("thumb"), pressure="light")]
    message = refusal(
        practitioner, client, rows, acknowledged_cautions=["CV4 Pregnancy: avoid (CV4)"]
    )
    assert "avoid (abdomen)" in message and "avoid (CV4)" not in message


def test_a_region_rule_excludes_more_than_light_pressure(practitioner, catalogue):
    client = client_with(practitioner, "osteoporosis")
    bl23 = point("BL23")
    record(practitioner, client, [PointRow(point=bl23, pressure="light")])
    message = refusal(practitioner, client, [PointRow(point=bl23, pressure="moderate")])
    assert "BL23 Osteoporosis or fragile bones: light pressure only (lower back)" in message


def test_a_tool_rule_excludes_the_elbow(practitioner, catalogue):
    client = client_with(practitioner, "anticoagulant")
    rows = [PointRow(point=point("GB30"), tool=tool("elbow"), pressure="light")]
    assert "Takes blood thinners: no elbow" in refusal(practitioner, client, rows)
    fingertip = [PointRow(point=point("GB30"), tool=tool("fingertip"), pressure="light")]
    assert record(practitioner, client, fingertip).acknowledged_cautions == []


def test_a_pressure_rule_excludes_firm_pressure(practitioner, catalogue):
    client = client_with(practitioner, "bleeding_disorder")
    rows = [PointRow(point=point("LI4"), pressure="firm")]
    assert "Bleeding disorder or low platelets: no firm pressure" in refusal(
        practitioner, client, rows
    )


def test_a_whole_body_rule_acts_at_every_point(practitioner, catalogue):
    client = client_with(practitioner, "anticoagulant")
    rows = [PointRow(point=point("LI4")), PointRow(point=point("GB20"))]
    message = refusal(practitioner, client, rows)
    assert "Takes blood thinners: light pressure only (whole body)" in message


def test_a_flag_site_rule_acts_on_its_side_only(practitioner, catalogue):
    client = client_with(
        practitioner,
        "lymphoedema",
        flag_sites={"lymphoedema": [{"region": "arm", "side": "left"}]},
    )
    li11 = point("LI11")  # on the elbow crease: the arm
    assert "LI11" in refusal(
        practitioner, client, [PointRow(point=li11, tool=tool("thumb"), side="left")]
    )
    session = record(practitioner, client, [PointRow(point=li11, tool=tool("thumb"), side="right")])
    assert session.acknowledged_cautions == []
    # The rest of the same limb, on that side: the hand; not the legs.
    assert "LI4" in refusal(practitioner, client, [PointRow(point=point("LI4"), side="left")])
    assert record(practitioner, client, [PointRow(point=point("ST36"), side="left")])


@pytest.mark.parametrize(
    ("age", "flag", "seconds"), [(8, "Child (under 16)", 60), (85, "Frail older adult", 90)]
)
def test_the_age_brings_in_the_dose_rules(practitioner, catalogue, age, flag, seconds):
    today = timezone.localdate()
    client = client_with(
        practitioner, born=today.replace(year=today.year - age) - timedelta(days=1)
    )
    assert client.age == age
    book = services.rule_book(client)
    assert book.suggested_max_seconds() == seconds
    assert any(rule.flag.label.startswith(flag) for rule in book.whole_client())
    message = refusal(practitioner, client, [PointRow(point=point("LI4"), pressure="moderate")])
    assert "light pressure only (whole body)" in message
    assert "no elbow" in refusal(
        practitioner, client, [PointRow(point=point("GB30"), tool=tool("elbow"), pressure="light")]
    )


def test_an_adult_of_forty_gets_no_age_rules(practitioner, catalogue):
    client = client_with(practitioner, born=date(1986, 1, 1))
    assert services.rule_book(client).suggested_max_seconds() is None
    assert record(practitioner, client, [PointRow(point=point("LI4"), pressure="firm")])


def test_the_check_in_blocks_saving_until_acknowledged(practitioner, catalogue):
    client = client_with(practitioner)
    rows = [PointRow(point=point("LI4"), pressure="light")]
    with pytest.raises(ValidationError) as refused:
        record(practitioner, client, rows, check_in_found=["flag:calf_hot_swollen"])
    assert "check_in_acknowledged" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(practitioner, client, rows, check_in_found=["sign:no-such-sign"])
    assert "check_in_found" in refused.value.message_dict


def test_a_fever_found_today_stops_every_point(practitioner, catalogue):
    client = client_with(practitioner)
    rows = [PointRow(point=point("LI4"), pressure="light")]
    message = refusal(
        practitioner,
        client,
        rows,
        check_in_found=["flag:fever_acute_illness"],
        check_in_acknowledged=True,
    )
    assert "Fever or acute illness today: avoid (whole body)" in message
    session = record(
        practitioner,
        client,
        rows,
        check_in_found=["flag:fever_acute_illness"],
        check_in_acknowledged=True,
        acknowledged_cautions=["Fever or acute illness today: avoid (whole body)"],
    )
    assert session.check_in_found == ["flag:fever_acute_illness"]
    assert "flag:meal_alcohol" in session.check_in_asked
    assert session.check_in_acknowledged


def test_a_warning_sign_of_the_presenting_condition_is_asked_and_stored(practitioner, catalogue):
    from catalogue.models import Condition, WarningSign

    client = client_with(practitioner)
    back = Condition.objects.get(slug="low-back-pain")
    saddle = WarningSign.objects.filter(conditions=back, urgency="emergency").first()
    code = f"sign:{saddle.key}"
    rows = [PointRow(point=point("BL40"), pressure="light")]
    with pytest.raises(ValidationError) as refused:
        record(practitioner, client, rows, conditions=[back], check_in_found=[code])
    assert "check_in_acknowledged" in refused.value.message_dict
    session = record(
        practitioner,
        client,
        rows,
        conditions=[back],
        check_in_found=[code],
        check_in_acknowledged=True,
    )
    assert session.check_in_found == [code]
    neck_only = (
        WarningSign.objects.filter(conditions__slug="neck-pain").exclude(conditions=back).first()
    )
    assert f"sign:{neck_only.key}" not in session.check_in_asked


def test_the_session_page_shows_what_the_check_in_found(as_practitioner, practitioner, catalogue):
    from django.urls import reverse

    client = client_with(practitioner)
    session = record(
        practitioner,
        client,
        [PointRow(point=point("LI4"), pressure="light")],
        check_in_found=["flag:calf_hot_swollen"],
        check_in_acknowledged=True,
        acknowledged_cautions=["A calf or leg hot, swollen, red or sore now: avoid (whole body)"],
    )
    page = as_practitioner.get(reverse("sessions:session-detail", args=[session.pk]))
    text = " ".join(page.content.decode().split())
    assert "The check-in found (acknowledged)" in text
    assert "Is one of your calves or legs swollen, hot, red or sore today?" in text
