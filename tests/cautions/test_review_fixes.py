"""What a review found: sites on different sides kept by an unrelated edit, an edit keeping
the check-in's findings, a retired sign not locking a draft, device rules near the device."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.cautioning import FlagProfile, RuleBook
from catalogue.models import Point, PressureTool, WarningSign
from sessions import services
from sessions.rows import PointRow

from ..factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_an_edit_of_the_phone_keeps_sites_on_different_sides(
    as_practitioner, practitioner, catalogue
):
    sites = [{"region": "arm", "side": "left"}, {"region": "lower_leg", "side": "right"}]
    client = ClientFactory(
        clinic=practitioner.clinic, health_flags=["lymphoedema"], flag_sites={"lymphoedema": sites}
    )
    url = reverse("clinic:client-update", args=[client.pk])
    page = as_practitioner.get(url).content.decode()
    assert "Recorded: arm (left), lower_leg (right)." in page
    form = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "date_of_birth": client.date_of_birth.isoformat(),
        "phone": "01632 960111",
        "health_flags": ["lymphoedema"],
        "site_lymphoedema": ["arm", "lower_leg"],
        "side_lymphoedema": "",
        "revision": client.revision,
    }
    assert as_practitioner.post(url, form).status_code == 302
    client.refresh_from_db()
    assert client.phone == "01632 960111"
    assert client.flag_sites == {"lymphoedema": sites}


def test_the_api_keeps_one_of_each_site(api_as_practitioner, practitioner, catalogue):
    client = ClientFactory(clinic=practitioner.clinic)
    site = {"region": "arm", "side": "left"}
    answer = api_as_practitioner.patch(
        f"/api/v1/clients/{client.pk}/",
        {"health_flags": ["cancer"], "flag_sites": {"cancer": [site] * 10}},
        format="json",
        HTTP_IF_MATCH=f'"{client.revision}"',
    )
    assert answer.status_code == 200
    client.refresh_from_db()
    assert client.flag_sites == {"cancer": [site]}


def record(practitioner, client, **values):
    point = Point.objects.get(code="BL40")
    return services.record_session(
        client=client,
        practitioner=practitioner,
        started_at=timezone.now() - timedelta(hours=1),
        pain_before=5,
        points=[
            PointRow(point=point, tool=PressureTool.objects.get(slug="thumb"), pressure="light")
        ],
        **values,
    )


def test_editing_a_session_keeps_what_the_check_in_found(as_practitioner, practitioner, catalogue):
    from catalogue.models import Condition

    client = ClientFactory(clinic=practitioner.clinic)
    back = Condition.objects.get(slug="low-back-pain")
    code = "sign:" + WarningSign.objects.filter(conditions=back).first().key
    session = record(
        practitioner, client, conditions=[back], check_in_found=[code], check_in_acknowledged=True
    )
    page = as_practitioner.get(reverse("sessions:session-update", args=[session.pk]))
    html = page.content.decode()
    assert f'value="{code}" id=' in html and "checked" in html.split(f'value="{code}"')[1][:80]
    form = page.context["form"]
    assert form["check_in_found"].value() == [code]
    assert form["check_in_acknowledged"].value() is True


def test_a_retired_sign_does_not_lock_a_draft(practitioner, catalogue):
    from catalogue.models import Condition

    client = ClientFactory(clinic=practitioner.clinic)
    back = Condition.objects.get(slug="low-back-pain")
    sign = WarningSign.objects.filter(conditions=back).first()
    code = f"sign:{sign.key}"
    session = record(
        practitioner, client, conditions=[back], check_in_found=[code], check_in_acknowledged=True
    )
    sign.is_active = False
    sign.save()
    edited = services.update_session(
        session=session, practitioner=practitioner, expected_revision=None, notes="Typo fixed."
    )
    assert edited.check_in_found == [code] and edited.notes == "Typo fixed."
    edited = services.update_session(
        session=edited, practitioner=practitioner, expected_revision=None, conditions=[]
    )
    assert edited.check_in_found == [code]


def rules_at(code, sites, point_code, side="right"):
    book = RuleBook(FlagProfile.build(recorded=[code], sites={code: sites}))
    point = Point.objects.get(code=point_code)
    return {f.rule.key for f in book.for_row(point=point, side=side, tool=None, pressure="light")}


def test_device_rules_act_near_the_device_recorded(catalogue):
    knee = [{"region": "knee", "side": "right"}]
    assert not any("chest" in key for key in rules_at("implanted_device", knee, "CV17", "midline"))
    pacemaker = [{"region": "chest", "side": "left"}]
    assert "implanted-device-region-chest" in rules_at(
        "implanted_device", pacemaker, "KI27", "left"
    )
    assert "implanted-device-region-shoulder" in rules_at(
        "implanted_device", pacemaker, "LI15", "left"
    )
    assert "implanted-device-region-shoulder" not in rules_at(
        "implanted_device", pacemaker, "LI15", "right"
    )
    assert rules_at("implanted_device", pacemaker, "GB30") == set()


def test_the_cautions_api_says_which_sites_are_missing(
    api_as_practitioner, practitioner, catalogue
):
    client = ClientFactory(clinic=practitioner.clinic, health_flags=["recent_surgery"])
    answer = api_as_practitioner.get(f"/api/v1/clients/{client.pk}/cautions/").json()
    assert answer["sites_missing"] == ["recent_surgery"]


def test_a_fever_found_at_check_in_says_no_treatment_today(
    as_practitioner, client_record, catalogue
):
    from ..sessions.page_support import session_form

    url = reverse("sessions:session-create", args=[client_record.pk])
    response = as_practitioner.post(
        url, session_form(check_in_found=["flag:fever_acute_illness"], check_in_acknowledged="on")
    )
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "Fever or acute illness today: no treatment today." in html
    assert "Fever or acute illness today: avoid (whole body)" in html  # to acknowledge, per row
