"""Receivers of lower layers' signals: each hands over to a scheduling service."""

from . import visits


def complete_appointment(sender, *, session, practitioner, **kwargs):
    visits.complete_for_signed(session=session, signed_by=practitioner)
