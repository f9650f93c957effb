"""A client's flags from the catalogue's vocabulary, with a site where it matters, on the
client's form and API, and the client's page listing what to take care with."""

import pytest
from django.urls import reverse

from clinic.models import Client

from ..factories import ClientFactory
from ..html_parts import parse

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "first_name": "Mira",
        "last_name": "Okafor",
        "date_of_birth": "1968-03-02",
        "health_flags": ["lymphoedema", "anticoagulant"],
        "site_lymphoedema": ["arm", "hand"],
        "side_lymphoedema": "left",
        "consent": "on",
    }
    return {**data, **overrides}


def test_the_form_offers_the_new_flags_and_records_a_site(as_practitioner, catalogue):
    page = as_practitioner.get(reverse("clinic:client-create")).content.decode()
    for label in [
        "Blood clot in the past",
        "Reduced feeling in the feet",
        "Implanted device",
        "Lymphoedema",
    ]:
        assert label in page
    response = as_practitioner.post(reverse("clinic:client-create"), form())
    assert response.status_code == 302
    client = Client.objects.get()
    assert client.health_flags == ["anticoagulant", "lymphoedema"]
    assert client.flag_sites == {
        "lymphoedema": [{"region": "arm", "side": "left"}, {"region": "hand", "side": "left"}]
    }
    assert client.history.count() == 1


def test_an_unknown_region_is_refused_next_to_the_field_and_nothing_saved(
    as_practitioner, catalogue
):
    response = as_practitioner.post(
        reverse("clinic:client-create"), form(site_lymphoedema=["moon"])
    )
    assert response.status_code == 200
    page = parse(response.content.decode())
    assert page.one("select", name="site_lymphoedema")
    errors = [e.text for e in page.all(cls="invalid-feedback")]
    assert any("moon is not one of the available choices" in e for e in errors), errors
    assert Client.objects.count() == 0


def test_unticking_a_flag_drops_its_site(as_practitioner, catalogue):
    as_practitioner.post(reverse("clinic:client-create"), form())
    client = Client.objects.get()
    url = reverse("clinic:client-update", args=[client.pk])
    as_practitioner.post(url, form(health_flags=["anticoagulant"], revision=client.revision))
    client.refresh_from_db()
    assert client.health_flags == ["anticoagulant"] and client.flag_sites == {}


def test_the_client_page_lists_what_to_take_care_with(as_practitioner, practitioner, catalogue):
    client = ClientFactory(
        clinic=practitioner.clinic,
        health_flags=["osteoporosis", "recent_surgery"],
    )
    response = as_practitioner.get(reverse("clinic:client-detail", args=[client.pk]))
    cautions = " ".join(parse(response.content.decode()).one(testid="health-flags").text.split())
    assert "Osteoporosis or fragile bones" in cautions
    assert "Upper back" in cautions and "Lower back" in cautions  # regions
    assert "no elbow" in cautions.lower() or "Elbow" in cautions  # a tool
    assert "Firm pressure" in cautions  # a pressure
    assert "Recent surgery: where is not recorded" in cautions


def test_the_api_takes_flag_sites_and_refuses_bad_ones_as_field_errors(
    api_as_practitioner, practitioner, catalogue
):
    client = ClientFactory(clinic=practitioner.clinic)
    url = f"/api/v1/clients/{client.pk}/"
    bad = api_as_practitioner.patch(
        url,
        {
            "health_flags": ["cancer"],
            "flag_sites": {"cancer": [{"region": "tail", "side": "left"}]},
        },
        format="json",
        HTTP_IF_MATCH=f'"{client.revision}"',
    )
    assert bad.status_code == 400 and "flag_sites" in bad.json()
    unknown = api_as_practitioner.patch(
        url,
        {"health_flags": ["blood_thinners"]},
        format="json",
        HTTP_IF_MATCH=f'"{client.revision}"',
    )
    assert unknown.status_code == 400 and "health_flags" in unknown.json()
    client.refresh_from_db()
    assert client.health_flags == []
    good = api_as_practitioner.patch(
        url,
        {
            "health_flags": ["cancer"],
            "flag_sites": {"cancer": [{"region": "chest", "side": "right"}]},
        },
        format="json",
        HTTP_IF_MATCH=f'"{client.revision}"',
    )
    assert good.status_code == 200, good.json()
    client.refresh_from_db()
    assert client.flag_sites == {"cancer": [{"region": "chest", "side": "right"}]}


def test_a_retired_flag_is_kept_but_not_given_anew(api_as_practitioner, practitioner, catalogue):
    from catalogue.models import HealthFlag

    client = ClientFactory(clinic=practitioner.clinic, health_flags=["epilepsy"])
    HealthFlag.objects.filter(code__in=["epilepsy", "varicose_veins"]).update(is_active=False)
    url = f"/api/v1/clients/{client.pk}/"
    kept = api_as_practitioner.patch(
        url,
        {"health_flags": ["epilepsy", "pregnancy"]},
        format="json",
        HTTP_IF_MATCH=f'"{client.revision}"',
    )
    assert kept.status_code == 200, kept.json()
    client.refresh_from_db()
    refused = api_as_practitioner.patch(
        url,
        {"health_flags": ["varicose_veins"]},
        format="json",
        HTTP_IF_MATCH=f'"{client.revision}"',
    )
    assert refused.status_code == 400
    assert "Retired" in refused.json()["health_flags"][0]
