import pytest

from catalogue.models import Indication, Point
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


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("LIV3", "LR3"),
        ("Lv 3", "LR3"),
        ("lr-3", "LR3"),
        ("K1", "KI1"),
        ("ki 1", "KI1"),
        ("Du20", "GV20"),
        ("du-20", "GV20"),
        ("GV 20", "GV20"),
        ("Ren17", "CV17"),
        ("REN 17", "CV17"),
        ("cv17", "CV17"),
        ("UB40", "BL40"),
        ("ub 23", "BL23"),
        ("P6", "PC6"),
        ("pc-6", "PC6"),
        ("H7", "HT7"),
        ("ht 7", "HT7"),
        ("TW5", "TE5"),
        ("SJ5", "TE5"),
        ("sj-5", "TE5"),
        ("te5", "TE5"),
        ("G20", "GB20"),
        ("gb 20", "GB20"),
        ("St36", "ST36"),
        ("st 36", "ST36"),
        ("Sp6", "SP6"),
        ("SP-6", "SP6"),
        ("Lu7", "LU7"),
        ("lu 7", "LU7"),
        ("Li4", "LI4"),
        ("LI-4", "LI4"),
        ("Si3", "SI3"),
        ("si 3", "SI3"),
        ("St 036", "ST36"),
    ],
)
def test_older_and_national_codes_find_the_who_point(catalogue, query, code):
    assert codes(query)[0] == code


@pytest.mark.parametrize(
    ("query", "code"),
    [("hego", "LI4"), ("Hego", "LI4"), ("taichung", "LR3"), ("fengchee", "GB20")],
)
def test_misspelt_pinyin_finds_the_point(catalogue, query, code):
    assert code in codes(query, limit=3)


def test_a_misspelt_english_name_finds_the_point(catalogue):
    assert Point.objects.get(code="KI1").english_name == "Bubbling Spring"
    assert "KI1" in codes("bubling", limit=3)


@pytest.mark.parametrize(
    ("query", "cited_for"),
    [
        ("sciatica", "leg-pain-sciatica"),
        ("lumbago", "low-back-pain"),
        ("stiff neck", "neck-pain"),
        ("migraine", "headache"),
        ("worry", "anxiety"),
    ],
)
def test_the_words_clients_use_find_the_condition_points(catalogue, query, cited_for):
    found = codes(query, limit=3)
    best = Indication.objects.filter(condition__slug=cited_for).order_by("-source_count")
    assert found and found[0] in set(best.values_list("point__code", flat=True))
    top = best.first().source_count
    assert (
        Indication.objects.get(point__code=found[0], condition__slug=cited_for).source_count == top
    )


@pytest.mark.parametrize("word", ["hand", "sole", "belly", "ankle", "groin", "nail", "ear"])
def test_a_word_spelt_right_is_not_taken_for_a_typo(catalogue, word):
    found = search_points(Point.objects.active(), word)[:3]
    assert found
    for point in found:
        text = f"{point.english_name} {point.location} {point.self_care_instructions}".lower()
        assert word in text, (word, point.code)


def test_punctuation_alone_finds_nothing(catalogue):
    for query in ["?", "*", "%", "--"]:
        assert codes(query) == [], query


def test_sleep_finds_the_stress_points(catalogue):
    found = codes("sleep", limit=1)
    assert Indication.objects.filter(point__code=found[0], condition__slug="stress").exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [("ST36 Zusanli", {"ST36"}), ("LI4 LR3", {"LI4", "LR3"}), ("GV20, baihui", {"GV20"})],
)
def test_codes_written_as_in_notes_find_their_points(catalogue, query, expected):
    assert set(codes(query, limit=len(expected))) == expected
