"""Figures inlined in one page keep their ids to themselves: each view's `<use href="#...">`
draws its own view's shape, not the first figure's (two views on one sheet page)."""

import re
from collections import Counter

from django.urls import reverse

from catalogue.models import Point
from homecare import services as homecare
from homecare.rows import ItemRow
from tests.factories import ClientFactory


def test_two_views_on_the_sheet_page_share_no_id(as_practitioner, practitioner, catalogue):
    codes = ["LI4", "ST36", "LR3"]  # the back of the hand, the leg, the top of the foot
    sheet = homecare.create_sheet(
        client=ClientFactory(clinic=practitioner.clinic),
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code=code), side="both") for code in codes],
    )
    page = as_practitioner.get(reverse("homecare:sheet-detail", args=[sheet.pk])).content.decode()
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    assert len(svgs) >= len(codes)
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    for svg in svgs:
        own = set(re.findall(r'\bid="([^"]+)"', svg))
        used = set(re.findall(r'href="#([^"]+)"', svg))
        assert used <= own, used - own
