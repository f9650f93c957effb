"""Which complaints' warning signs a sheet without a session's conditions ends with."""

import pytest

from homecare.models import HomeCareSheet
from homecare.see_a_doctor import conditions_treated

from ..factories import ClientFactory, ConditionFactory, IndicationFactory, PointFactory

pytestmark = pytest.mark.django_db


def test_a_sheet_is_for_the_conditions_most_of_its_points_are_cited_for(practitioner):
    back, neck = ConditionFactory(name="Low back"), ConditionFactory(name="Neck")
    points = PointFactory.create_batch(4)
    for point in points:
        IndicationFactory(point=point, condition=back)
    IndicationFactory(point=points[0], condition=neck)
    sheet = HomeCareSheet(client=ClientFactory(clinic=practitioner.clinic), created_by=practitioner)
    assert conditions_treated(sheet, [p.pk for p in points]) == [back.pk]
    assert set(conditions_treated(sheet, [points[0].pk])) == {back.pk, neck.pk}
