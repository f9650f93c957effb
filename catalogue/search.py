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
    """Conditions whose name or the words clients use for them have every word of the query
    at the start of a word ('ear' is not in 'racing heart')."""
    words = [w for w in re.split(r"[^\w']+", query.lower()) if len(w) > 2 and w != "and"]
    if not words:
        return None
    match = Q()
    for word in words:
        starts_a_word = rf"(^|[^a-z]){re.escape(word)}"
        match &= (
            Q(name__iregex=starts_a_word)
            | Q(slug__iregex=starts_a_word)
            | Q(synonyms__iregex=starts_a_word)
        )
    return Condition.objects.filter(match)


def close_spellings(key):
    """Points whose pinyin or English name is a near miss for the query ('hego': Hegu)."""
    names = {}
    for pk, pinyin_key, english_name in Point.objects.values_list(
        "pk", "pinyin_key", "english_name"
    ):
        for name in {pinyin_key, search_key(english_name), *map(search_key, english_name.split())}:
            if len(name) >= FUZZY_MIN_LENGTH:
                names.setdefault(name, set()).add(pk)
    found = process.extract(
        key, list(names), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
    )
    return sorted({pk for name, _score, _index in found for pk in names[name]})


def search_points(points, query):
    """Points ranked by how well they match. A one-word query that finds nothing is taken
    for a misspelt name and answered with the near misses ('hego': Hegu)."""
    query = query.strip()[:100]
    key = search_key(query)
    if not key:
        return points.none() if query else points
    found = ranked(points, query, key)
    one_word = query.isalpha() and len(key) >= FUZZY_MIN_LENGTH
    if one_word and not found.exists():
        found = ranked(points, query, key, misspelt=close_spellings(key))
    return found


def ranked(points, query, key, misspelt=()):
    code_key = who_code_key(key)
    # Points as practitioners write them in notes: "ST36 Zusanli", "LI4 LR3".
    words = [search_key(word) for word in re.split(r"[\s,;/()+]+", query) if search_key(word)]
    word_codes = {who_code_key(word) for word in words} if len(words) > 1 else set()
    name_rank = Case(
        When(code_key=code_key, then=Value(1000)),
        When(code_key__in=word_codes, then=Value(950)),
        When(pinyin_key__in=words if word_codes else [], then=Value(850)),
        When(pinyin_key=key, then=Value(900)),
        When(Q(hanzi=query) | Q(hanzi_simplified=query), then=Value(900)),
        When(english_name__iexact=query, then=Value(800)),
        When(code_key__startswith=code_key, then=Value(500)),
        When(pinyin_key__startswith=key, then=Value(400)),
        When(Q(hanzi__contains=query) | Q(hanzi_simplified__contains=query), then=Value(400)),
        When(english_name__icontains=query, then=Value(300)),
        When(pk__in=list(misspelt), then=Value(200)),
        When(
            Q(location__icontains=query) | Q(self_care_instructions__icontains=query),
            then=Value(5),  # a word in the text counts for less than one source's citation
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    condition_rank = Value(0)
    conditions = matching_conditions(query)
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
