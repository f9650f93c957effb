import pytest
from django.contrib.auth import get_user_model

from catalogue.models import Point

from ..factories import TreatedPointFactory


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.mark.parametrize("model", ["treatmentsession", "homecaresheet"])
def test_clinical_records_are_shown_read_only_with_history(client, superuser, model, catalogue):
    from homecare import services as homecare
    from homecare.rows import ItemRow

    session = TreatedPointFactory(point=Point.objects.get(code="ST36")).session
    sheet = homecare.create_sheet(
        client=session.client,
        practitioner=session.practitioner,
        items=[ItemRow(point=session.treated_points.get().point)],
    )
    record = session if model == "treatmentsession" else sheet
    app = "treatment_sessions" if model == "treatmentsession" else "homecare"
    client.force_login(superuser)
    base = f"/admin/{app}/{model}/"
    listing = client.get(base)
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [record]
    page = client.get(f"{base}{record.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert page.context["original"] == record
    history = client.get(f"{base}{record.pk}/history/")
    assert history.status_code == 200
    assert [e.id for e in history.context["page_obj"].object_list] == [record.pk]
    assert [e.history_type for e in history.context["page_obj"].object_list] == ["+"]
    assert client.get(f"{base}{record.pk}/delete/").status_code == 403
    assert client.get(f"{base}add/").status_code == 403
