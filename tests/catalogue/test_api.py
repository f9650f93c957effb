import pytest

from catalogue.models import CautionRule, Point

from ..factories import CautionFactory, IndicationFactory, PointFactory

LIST = "/api/v1/points/"


def results(response):
    assert response.status_code == 200, response.content
    return [p["code"] for p in response.json()["results"]]


def every_code(api, params):
    """The codes on every page of the list (pages hold 25, and page_size is ignored),
    checked against the count the API gives."""
    response = api.get(LIST, params)
    codes = results(response)
    count = response.json()["count"]
    while response.json()["next"]:
        response = api.get(response.json()["next"])
        codes += results(response)
    assert len(codes) == len(set(codes)) == count
    return codes


def test_a_point_has_the_documented_fields(api_as_practitioner, catalogue):
    point = api_as_practitioner.get("/api/v1/points/li4/").json()
    assert point["code"] == "LI4" and point["meridian"] == "LI"
    assert point["pinyin"] == "Hegu" and point["hanzi"] == "合谷"
    assert point["region"] == "hand"
    # The source article's three minutes or until relief.
    assert point["default_tool"] and point["default_duration_seconds"] == 180
    assert point["self_care"] is True
    assert {"pregnancy", "diabetes_neuropathy", "all_clients"} <= set(point["caution_flags"])
    # The rules that name LI4 or its region (the hand), whoever the client.
    cautions = {rule["key"]: rule for rule in point["cautions"]}
    assert point["caution_flags"] == sorted({rule["flag"] for rule in point["cautions"]})
    pregnancy = CautionRule.objects.get(key="pregnancy-point-li4")
    assert cautions["pregnancy-point-li4"] == {
        "key": "pregnancy-point-li4",
        "flag": "pregnancy",
        "scope": "point",
        "point": "LI4",
        "region": "",
        "tool": None,
        "pressure": "",
        "same_side_only": False,
        "action": "caution_note",
        "strength": "traditional only",
        "general_knowledge": False,
        "sources": pregnancy.sources,
        "practitioner_note": pregnancy.practitioner_note,
        "client_note": pregnancy.client_note,
        "is_active": True,
    }
    hand = cautions["diabetes-neuropathy-region-hand"]
    assert (hand["scope"], hand["region"], hand["point"], hand["action"]) == (
        "region",
        "hand",
        None,
        "light_only",
    )
    assert point["caution_text"] == Point.objects.get(code="LI4").cautions
    headache = {"slug": "headache", "name": "Headache", "source_count": 4}
    assert headache in [{k: c[k] for k in headache} for c in point["conditions"]]
    li4 = Point.objects.get(code="LI4")
    assert (point["location"], point["self_care_instructions"], point["english_name"]) == (
        li4.location,
        li4.self_care_instructions,
        li4.english_name,
    )
    assert point["location"] and point["self_care_instructions"] and point["english_name"]
    picture = point["picture"]
    assert (picture["figure"], picture["x"], picture["y"]) == ("hand_back", 31.9, 61.0)
    assert picture["markers"] == [{"x": 31.9, "y": 61.0}, {"x": 68.1, "y": 61.0}]
    assert (point["bilateral"], point["self_care"], point["self_care_with"]) == (
        True,
        True,
        "alone",
    )
    headache = next(c for c in point["conditions"] if c["slug"] == "headache")
    assert [s["key"] for s in headache["sources"]] == li4.indications.get(
        condition__slug="headache"
    ).sources.split()


def test_a_midline_point_has_one_marker_and_a_reason_against_self_care(
    api_as_practitioner, catalogue
):
    point = api_as_practitioner.get(f"{LIST}GV26/").json()
    assert point["bilateral"] is False and len(point["picture"]["markers"]) == 1
    assert (point["self_care"], point["not_self_care_reason"]) == (False, "needs_training")


def test_the_api_search_takes_other_notations_and_typos(api_as_practitioner, catalogue):
    for query, code in [("LIV3", "LR3"), ("Du20", "GV20"), ("hego", "LI4"), ("K1", "KI1")]:
        results = api_as_practitioner.get(LIST, {"search": query}).json()["results"]
        assert results[0]["code"] == code, query


def test_the_list_comes_in_pages_of_25_whatever_page_size_says(api_as_practitioner, catalogue):
    first = api_as_practitioner.get(LIST, {"page_size": 100}).json()
    assert len(first["results"]) == 25 and first["count"] == Point.objects.active().count()
    assert every_code(api_as_practitioner, {}) == list(
        Point.objects.active().values_list("code", flat=True)
    )


@pytest.mark.parametrize(
    "params,matching,expected,absent",
    [
        ({"meridian": "SI"}, {"meridian__code": "SI"}, "SI3", "LI4"),
        ({"region": "foot"}, {"region": "foot"}, "KI1", "LI4"),
        ({"condition": "headache"}, {"indications__condition__slug": "headache"}, "GB20", "SI3"),
        ({"self_care": "false"}, {"self_care": False}, "GV26", "LI4"),
    ],
    ids=["meridian", "region", "condition", "self_care"],
)
def test_filters(api_as_practitioner, catalogue, params, matching, expected, absent):
    found = every_code(api_as_practitioner, params)
    assert set(found) == set(
        Point.objects.active().filter(**matching).values_list("code", flat=True)
    )
    assert expected in found and absent not in found


@pytest.mark.parametrize(
    "params,found",
    [
        ({"self_care": "true", "search": "hegu"}, ["LI4"]),
        ({"self_care": "false", "search": "hegu"}, []),
        ({"search": "合谷"}, ["LI4"]),
        ({"search": "Back Stream"}, ["SI3"]),
    ],
    ids=["self-care-hegu", "practitioner-only-hegu", "characters", "english-name"],
)
def test_search_with_filters(api_as_practitioner, catalogue, params, found):
    assert every_code(api_as_practitioner, params) == found


def test_search_ranks_the_exact_code_first(api_as_practitioner, catalogue):
    assert results(api_as_practitioner.get("/api/v1/points/", {"search": "LI 4"}))[0] == "LI4"


def test_bad_filters_are_json_field_errors(api_as_practitioner, catalogue):
    response = api_as_practitioner.get("/api/v1/points/", {"meridian": "XX", "region": "moon"})
    assert response.status_code == 400
    assert set(response.json()) == {"meridian", "region"}


def test_unknown_point_is_404(api_as_practitioner, catalogue):
    assert api_as_practitioner.get("/api/v1/points/ZZ9/").status_code == 404


def test_retired_points_leave_lists_but_stay_readable(api_as_practitioner, catalogue):
    from catalogue.models import Point

    Point.objects.filter(code="LI4").update(is_active=False)
    assert "LI4" not in every_code(api_as_practitioner, {"search": "LI4"})
    assert api_as_practitioner.get("/api/v1/points/LI4/").json()["is_active"] is False


def test_the_schema_documents_the_catalogue(api_as_practitioner, db):
    paths = api_as_practitioner.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {
        "/api/v1/points/",
        "/api/v1/points/{code}/",
        "/api/v1/conditions/",
        "/api/v1/tools/",
    } <= set(paths)
    names = {p["name"] for p in paths["/api/v1/points/"]["get"]["parameters"]}
    assert {"meridian", "region", "condition", "self_care", "search"} <= names


@pytest.mark.parametrize("rows", [1, 30])
def test_list_query_count_is_constant(api_as_practitioner, django_assert_num_queries, rows):
    for n in range(rows):
        point = PointFactory(code=f"LI{n + 1}", number=n + 1)
        IndicationFactory(point=point, condition__slug="neck", condition__name="Neck pain")
        CautionFactory(point=point)
    # count, page of points, their indications with conditions, the point and region
    # caution rules (read once for the page)
    with django_assert_num_queries(4):
        api_as_practitioner.get("/api/v1/points/")
    # A one-word search also asks whether it is a condition's word before looking for typos.
    with django_assert_num_queries(5):
        api_as_practitioner.get("/api/v1/points/", {"search": "neck"})
