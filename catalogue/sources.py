"""The published sources behind the catalogue's indications (data/sources.csv, from the
shared facts' source list): which source cites a point for which condition."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "sources.csv"


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    kind: str


@cache
def all_sources():
    with open(DATA, newline="", encoding="utf-8") as handle:
        return {row["key"]: Source(**row) for row in csv.DictReader(handle)}


def sources_for(keys_text):
    """The sources named by an indication's space-separated keys, unknown keys kept as keys."""
    known = all_sources()
    return [known.get(key, Source(key, key, "")) for key in keys_text.split()]
