import pytest

from catalogue.models import Point
from catalogue.search import search_points


def codes(query, limit=5):
    return [p.code for p in search_points(Point.objects.active(), query)[:limit]]


@pytest.mark.parametrize(
    "query", ["li4", "LI4", "LI 4", "li-4", "hegu", "Hégǔ", "合谷", "Joining Valley"]
)
def test_the_right_point_comes_first(catalogue, query):
    assert codes(query)[0] == "LI4"


def test_an_exact_code_beats_its_prefixes(catalogue):
    found = codes("BL6", limit=9)
    assert found[0] == "BL6"
    assert set(found[1:]) == {f"BL6{n}" for n in range(8)}


def test_extra_points_by_code_and_name(catalogue):
    assert codes("ex-hn3")[0] == "EX-HN3"
    assert codes("yintang")[0] == "EX-HN3"
    assert codes("印堂")[0] == "EX-HN3"


def test_a_condition_finds_its_points_best_cited_first(catalogue):
    found = codes("back pain", limit=3)
    assert found[0] == "BL23"  # cited by five sources for low back pain
    assert set(codes("neck pain", limit=2)) == {"GB20", "GV14"}


def test_simplified_characters_match_too(catalogue):
    assert codes("云门")[0] == "LU2"


def test_nonsense_finds_nothing_and_an_empty_query_finds_all(catalogue):
    assert codes("zzzqqq") == []
    assert search_points(Point.objects.all(), "").count() == Point.objects.count()
