"""Warning signs kept for clients with some health flag (a bruise on blood thinners, a
lymphoedema arm) are printed and asked only for a client with one of those flags."""

import pytest
from django.urls import reverse

from catalogue.models import Point, WarningSign
from homecare import services as homecare
from homecare.rows import ItemRow

from ..factories import ClientFactory
from ..homecare.test_sheet_cautions import pdf_words, words

pytestmark = pytest.mark.django_db

FOR_FLAGS = {
    "any-haematoma": {"anticoagulant", "bleeding_disorder"},
    "any-lymphoedema-infection": {"lymphoedema"},
}


def wording(key) -> str:
    return words(WarningSign.objects.get(key=key).client_wording)


def sheet_text(as_practitioner, practitioner, *flags) -> str:
    client = ClientFactory(clinic=practitioner.clinic, health_flags=list(flags))
    sheet = homecare.create_sheet(
        client=client,
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code="LI4"))],
        caution_acknowledged=True,
    )
    response = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk]))
    return pdf_words(response.content)


def test_the_catalogue_keeps_two_signs_for_some_flags_and_the_rest_for_everyone(catalogue):
    kept = {
        sign.key: {flag.code for flag in sign.for_flags.all()}
        for sign in WarningSign.objects.prefetch_related("for_flags")
        if sign.for_flags.exists()
    }
    assert kept == FOR_FLAGS


def test_a_client_without_the_flags_gets_neither_sign(as_practitioner, catalogue, practitioner):
    text = sheet_text(as_practitioner, practitioner)
    assert wording("any-stroke") in text  # every client's
    for key in FOR_FLAGS:
        assert wording(key) not in text


def test_a_client_on_blood_thinners_gets_the_bruise_sign(as_practitioner, catalogue, practitioner):
    text = sheet_text(as_practitioner, practitioner, "anticoagulant")
    assert wording("any-haematoma") in text
    assert wording("any-lymphoedema-infection") not in text


def test_a_client_with_lymphoedema_gets_the_infection_sign(
    as_practitioner, catalogue, practitioner
):
    text = sheet_text(as_practitioner, practitioner, "lymphoedema")
    assert wording("any-lymphoedema-infection") in text
    assert wording("any-haematoma") not in text


@pytest.mark.parametrize("flags, asked", [([], False), (["bleeding_disorder"], True)])
def test_the_check_in_asks_the_bruise_sign_only_of_a_client_with_the_flag(
    as_practitioner, catalogue, practitioner, flags, asked
):
    client = ClientFactory(clinic=practitioner.clinic, health_flags=flags)
    page = as_practitioner.get(reverse("sessions:session-create", args=[client.pk]))
    assert ('value="sign:any-haematoma"' in page.content.decode()) is asked
    assert 'value="sign:any-stroke"' in page.content.decode()


def test_the_api_says_which_clients_a_sign_is_for(as_practitioner, catalogue):
    url = reverse("api:warning-sign-detail", args=["any-haematoma"])
    assert as_practitioner.get(url).json()["for_flags"] == ["anticoagulant", "bleeding_disorder"]
    url = reverse("api:warning-sign-detail", args=["any-stroke"])
    assert as_practitioner.get(url).json()["for_flags"] == []
