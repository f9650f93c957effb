"""Who may change a home-care sheet: the one rule book the services apply, so the pages and
the API cannot disagree (they only show the refusal, a 403 with its message).

Every practitioner of the clinic reads its sheets and makes new ones, from scratch or from
any of its sessions; a sheet's maker is who made it (`created_by`). Only the maker edits
and issues their draft, and a click on a session's sheet button reopens the clicker's own
draft from that session, never a colleague's. An issued sheet is corrected by a new
version, made by the sheet's maker or by a clinic manager of the same clinic; the new
version is then a draft of whoever made it. Another clinic's practitioners never get this
far: the clinic's querysets answer them 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from clinic.models import Practitioner

from .models import HomeCareSheet


def is_maker(sheet: HomeCareSheet, practitioner: Practitioner) -> bool:
    return sheet.created_by_id == practitioner.pk


def may_make_new_version(sheet: HomeCareSheet, practitioner: Practitioner) -> bool:
    manager = practitioner.is_manager and practitioner.clinic_id == sheet.client.clinic_id
    return is_maker(sheet, practitioner) or manager


def only_maker(sheet: HomeCareSheet, to: str) -> str:
    return f"Only {sheet.created_by}, who made this draft sheet, can {to} it."


def only_maker_or_manager(sheet: HomeCareSheet) -> str:
    return (
        f"Only {sheet.created_by}, who made this sheet, or a clinic manager can make a new "
        "version of it."
    )


def refuse_unless_maker(sheet: HomeCareSheet, practitioner: Practitioner, *, to: str):
    """Editing and issuing a draft: `to` is what was asked ("edit", "issue")."""
    if not is_maker(sheet, practitioner):
        raise PermissionDenied(only_maker(sheet, to))


def refuse_new_version(sheet: HomeCareSheet, practitioner: Practitioner):
    if not may_make_new_version(sheet, practitioner):
        raise PermissionDenied(only_maker_or_manager(sheet))


@dataclass(frozen=True)
class Allowed:
    """What the sheet page offers this practitioner."""

    edit: bool  # edit and issue the draft
    new_version: bool
    refusal: str = ""  # why neither is offered


def allowed(sheet: HomeCareSheet, practitioner: Practitioner) -> Allowed:
    if not sheet.is_issued:
        maker = is_maker(sheet, practitioner)
        refusal = "" if maker else only_maker(sheet, "edit or issue")
        return Allowed(edit=maker, new_version=False, refusal=refusal)
    if may_make_new_version(sheet, practitioner):
        return Allowed(edit=False, new_version=True)
    return Allowed(edit=False, new_version=False, refusal=only_maker_or_manager(sheet))
