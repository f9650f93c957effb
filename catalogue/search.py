"""Point search: codes, pinyin (with or without tone marks), characters, English names,
conditions and location text, ranked so an exact code comes first."""

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

from .models import Condition, Indication, search_key


def matching_conditions(query):
    words = [w for w in re.split(r"[\s/,]+", query.lower()) if len(w) > 2 and w != "and"]
    if not words:
        return None
    match = Q()
    for word in words:
        match &= Q(name__icontains=word) | Q(slug__icontains=word)
    return Condition.objects.filter(match)


def search_points(points, query):
    query = query.strip()[:100]
    key = search_key(query)
    if not key and not query:
        return points
    name_rank = Case(
        When(code_key=key, then=Value(1000)),
        When(pinyin_key=key, then=Value(900)),
        When(Q(hanzi=query) | Q(hanzi_simplified=query), then=Value(900)),
        When(english_name__iexact=query, then=Value(800)),
        When(code_key__startswith=key, then=Value(500)),
        When(pinyin_key__startswith=key, then=Value(400)),
        When(Q(hanzi__contains=query) | Q(hanzi_simplified__contains=query), then=Value(400)),
        When(english_name__icontains=query, then=Value(300)),
        When(
            Q(location__icontains=query) | Q(self_care_instructions__icontains=query),
            then=Value(50),
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
