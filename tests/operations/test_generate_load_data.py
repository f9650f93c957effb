"""The load data set of issue 16, at a two-thousandth of its size: the counts asked for,
every NOT NULL column filled (the inserts would fail otherwise), and the pages the
benchmark measures answer from it, the issued sheets' PDF served as the app stored it."""

import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.urls import reverse

from clinic.models import Client, Clinic, Practitioner
from homecare.models import HomeCareSheet
from letters.models import ReferralLetter
from operations.load_data.dataset import HEAVY_SESSIONS, Sizes
from scheduling.models import Appointment
from sessions.models import TreatedPoint, TreatmentSession
from tests.conftest import logged_in

SCALE = 0.0005


@pytest.mark.django_db
def test_it_builds_the_data_set_the_pages_read(client):
    call_command("generate_load_data", scale=SCALE, stdout=io.StringIO())
    sizes = Sizes.at(SCALE)
    bench = Practitioner.objects.get(user__username="bench")
    assert Clinic.objects.count() == 20
    assert Client.objects.count() == sizes.clients
    assert Client.objects.filter(clinic=bench.clinic).count() == sizes.big_clinic_clients
    assert TreatmentSession.objects.count() == sizes.sessions
    assert TreatedPoint.objects.count() == 4 * sizes.sessions
    assert TreatmentSession.objects.filter(practitioner=bench).count() == sizes.bench_sessions
    assert TreatmentSession.objects.filter(practitioner=bench, signed_at__isnull=True).exists()
    assert HomeCareSheet.objects.count() == sizes.sheets
    issued = HomeCareSheet.objects.filter(issued_at__isnull=False)
    assert issued.count() == sizes.issued
    assert ReferralLetter.objects.count() == sizes.letters
    assert Appointment.objects.filter(practitioner=bench, session__isnull=True).exists()
    heavy = Client.objects.get(
        pk=TreatmentSession.objects.filter(practitioner=bench)
        .values("client")
        .order_by()
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["client"]
    )
    assert heavy.treatment_sessions.count() == min(HEAVY_SESSIONS, sizes.bench_sessions // 2)

    logged_in(client, bench.user)
    for url in (
        reverse("clinic:dashboard"),
        reverse("clinic:client-list") + "?q=smith",
        reverse("clinic:client-detail", args=[heavy.pk]),
        reverse("sessions:session-create", args=[heavy.pk]),
        reverse("scheduling:calendar"),
        reverse("clinic:access-log"),
        reverse("api:session-list"),
    ):
        assert client.get(url).status_code == 200, url
    sheet = issued.filter(client__clinic=bench.clinic).first()
    answer = client.get(reverse("homecare:sheet-pdf", args=[sheet.pk]))
    assert answer.status_code == 200
    assert hashlib.sha256(answer.content).hexdigest() == sheet.pdf_sha256
    assert answer.content.startswith(b"%PDF")
    assert get_user_model().objects.get(username="bench").check_password("load-data-16")


@pytest.mark.django_db
def test_it_refuses_a_database_with_clinics():
    Clinic.objects.create(name="Already here")
    with pytest.raises(CommandError, match="--flush"):
        call_command("generate_load_data", scale=SCALE, stdout=io.StringIO())
    assert Clinic.objects.filter(name="Already here").exists()
