"""How the hold timer's record reads: 102 seconds as "1:42", with how it ended."""

from django import template

from ..models import HoldEnded

register = template.Library()


@register.filter
def clock(seconds):
    """102 -> '1:42'; blank for no seconds."""
    if seconds in (None, ""):
        return ""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


@register.simple_tag
def hold_in_words(seconds, ending) -> str:
    """'Held 1:42 — relief', or blank for a hold not timed (or half-given, refused)."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    if ending not in HoldEnded.values:
        return ""
    return f"Held {clock(seconds)} — {HoldEnded(ending).label.lower()}"
