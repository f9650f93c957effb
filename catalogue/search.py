"""Point search: codes in any notation, pinyin (with or without tone marks, or misspelt),
characters, English names, conditions and the words clients use for them, and location
text, ranked so an exact code comes first."""

import re

from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from rapidfuzz import fuzz, process

from .models import Condition, Indication, Point, search_key

# The older and national abbreviations of the meridians (by search key) and the WHO code
# each stands for: LIV3, Lv3 and LR3 are all Taichong.
MERIDIAN_ALIASES = {
    **{code.lower(): code for code in "LU LI ST SP HT SI BL KI PC TE GB LR GV CV".split()},
    "lung": "LU",
    "h": "HT",
    "he": "HT",
    "ub": "BL",
    "b": "BL",
    "k": "KI",
    "kid": "KI",
    "p": "PC",
    "hc": "PC",
    "tw": "TE",
    "sj": "TE",
    "th": "TE",
    "g": "GB",
    "liv": "LR",
    "lv": "LR",
    "du": "GV",
    "ren": "CV",
    "rn": "CV",
}
CODE_QUERY = re.compile(r"^([a-z]+)0*(\d{1,2})$")
FUZZY_CUTOFF = 75  # 'hego' scores 75 against 'hegu'; unrelated names score far lower
FUZZY_MIN_LENGTH = 4


def who_code_key(key):
    """The search key of the WHO code a query in another notation means: 'du20' -> 'gv20'."""
    match = CODE_QUERY.match(key)
    if match and match[1] in MERIDIAN_ALIASES:
        return f"{MERIDIAN_ALIASES[match[1]].lower()}{match[2]}"
    return key


def matching_conditions(query):
    """Conditions whose name or any of the words clients use for them has every word."""
    words = [w for w in re.split(r"[\s/,]+", query.lower()) if len(w) > 2 and w != "and"]
    if not words:
        return None
    match = Q()
    for word in words:
        match &= Q(name__icontains=word) | Q(slug__icontains=word) | Q(synonyms__icontains=word)
    return Condition.objects.filter(match)


def close_spellings(key):
    """Points whose pinyin or English name is a near miss for a one-word query ('hego':
    Hegu), when no name matches it as it is."""
    names = {}
    for pk, pinyin_key, english_name in Point.objects.values_list(
        "pk", "pinyin_key", "english_name"
    ):
        english_key = search_key(english_name)
        if key in pinyin_key or key in english_key:
            return []  # spelt right: the ranking below finds it
        for name in {pinyin_key, english_key, *map(search_key, english_name.split())}:
            if len(name) >= FUZZY_MIN_LENGTH:
                names.setdefault(name, set()).add(pk)
    found = process.extract(
        key, list(names), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
    )
    return sorted({pk for name, _score, _index in found for pk in names[name]})


def near_misses(query, key, conditions):
    """Typos are looked for in one word of letters that is not a condition's word
    ('lumbago' is a condition, not a misspelt 'lumbar')."""
    one_word = query.isalpha() and len(key) >= FUZZY_MIN_LENGTH
    if not one_word or CODE_QUERY.match(key) or conditions is None or conditions.exists():
        return []
    return close_spellings(key)


def search_points(points, query):
    query = query.strip()[:100]
    key = search_key(query)
    if not key and not query:
        return points
    code_key = who_code_key(key)
    conditions = matching_conditions(query)
    misspelt = near_misses(query, key, conditions)
    name_rank = Case(
        When(code_key=code_key, then=Value(1000)),
        When(pinyin_key=key, then=Value(900)),
        When(Q(hanzi=query) | Q(hanzi_simplified=query), then=Value(900)),
        When(english_name__iexact=query, then=Value(800)),
        When(code_key__startswith=code_key, then=Value(500)),
        When(pinyin_key__startswith=key, then=Value(400)),
        When(Q(hanzi__contains=query) | Q(hanzi_simplified__contains=query), then=Value(400)),
        When(english_name__icontains=query, then=Value(300)),
        When(pk__in=misspelt, then=Value(200)),
        When(
            Q(location__icontains=query) | Q(self_care_instructions__icontains=query),
            then=Value(5),  # a word in the text counts for less than one source's citation
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    condition_rank = Value(0)
    if conditions is not None:
        # Points cited for a matching condition rank by how many sources back them.
        best_citation = Subquery(
            Indication.objects.filter(point=OuterRef("pk"), condition__in=conditions)
            .order_by("-source_count")
            .values("source_count")[:1]
        )
        condition_rank = Coalesce(best_citation * 10 + 100, Value(0))
    return (
        points.annotate(rank=name_rank + condition_rank)
        .filter(rank__gt=0)
        .order_by("-rank", "meridian__position", "number")
    )
