"""The session page reads a fixed number of queries, however many points it shows."""

import pytest
from django.urls import reverse

from ..factories import TreatedPointFactory, TreatmentSessionFactory


@pytest.mark.parametrize("points", [1, 20])
def test_detail_query_count_is_constant(
    as_practitioner, client_record, django_assert_num_queries, points
):
    session = TreatmentSessionFactory(client=client_record)
    for n in range(points):
        TreatedPointFactory(session=session, point__code=f"LI{n + 1}", point__number=n + 1)
    # session, user, practitioner, clinic, the session (client, practitioner, signer
    # joined), conditions, points (point, tool joined), amendments, the draft sheet made
    # from it (for its buttons), the access log entry for the view. The page shows the cautions
    # acknowledged as saved, so it reads no
    # caution rules (the old per-point caution prefetch is gone).
    with django_assert_num_queries(10):
        response = as_practitioner.get(reverse("sessions:session-detail", args=[session.pk]))
    assert response.status_code == 200
    assert [tp.point.code for tp in response.context["session"].treated_points.all()] == [
        f"LI{n + 1}" for n in range(points)
    ]
