"""Helpers shared by the home-care sheet API tests."""

from homecare import services as homecare
from homecare.models import HomeCareItem, HomeCareSheet
from homecare.rows import ItemRow
from tests.sessions.session_api_support import error_at

from ..factories import ClientFactory, PointFactory

LIST = "/api/v1/homecare-sheets/"
__all__ = [
    "LIST",
    "a_sheet",
    "detail",
    "error_at",
    "item_row",
    "new_sheet",
    "pregnant_client",
    "saved_rows",
]


def detail(sheet, action=""):
    return f"{LIST}{sheet.pk}/{action + '/' if action else ''}"


def saved_rows():
    return HomeCareSheet.objects.count(), HomeCareItem.objects.count()


def item_row(**overrides):
    return {
        "point": "LI4",
        "tool": "thumb",
        "duration_seconds": 180,
        "times_per_day": 2,
        "side": "both",
        "instructions": "",
        **overrides,
    }


def new_sheet(client, items=None, **overrides):
    return {
        "client": client.pk,
        "items": [item_row()] if items is None else items,
        "general_advice": "Drink water afterwards.",
        "large_print": False,
        "paper": "a4",
        "caution_acknowledged": False,
        **overrides,
    }


def a_sheet(client, practitioner, *, points=1):
    """A draft with factory points, straight from the service."""
    items = [ItemRow(point=PointFactory()) for _ in range(points)]
    return homecare.create_sheet(client=client, practitioner=practitioner, items=items)


def pregnant_client(practitioner):
    return ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])
