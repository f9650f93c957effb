import pytest

from ..factories import CautionFactory, IndicationFactory, PointFactory


def results(response):
    assert response.status_code == 200, response.content
    return [p["code"] for p in response.json()["results"]]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/points/",
        "/api/v1/points/LI4/",
        "/api/v1/conditions/",
        "/api/v1/conditions/headache/",
        "/api/v1/tools/",
        "/api/v1/tools/thumb/",
    ],
)
def test_read_only_for_practitioners_refused_to_others(
    api, catalogue, practitioner, no_profile_user, url
):
    api.force_authenticate(practitioner.user)
    assert api.get(url).status_code == 200
    assert api.post(url, {}, format="json").status_code == 405
    assert api.patch(url, {}, format="json").status_code == 405
    api.force_authenticate(no_profile_user)
    assert api.get(url).status_code == 403
    api.force_authenticate(None)
    assert api.get(url).status_code == 401


def test_a_point_has_the_documented_fields(api_as_practitioner, catalogue):
    point = api_as_practitioner.get("/api/v1/points/li4/").json()
    assert point["code"] == "LI4" and point["meridian"] == "LI"
    assert point["pinyin"] == "Hegu" and point["hanzi"] == "合谷"
    assert point["region"] == "hand"
    assert point["default_tool"] and point["default_duration_seconds"] == 180
    assert point["self_care"] is True
    assert "pregnancy" in point["caution_flags"]
    assert {"slug": "headache", "name": "Headache", "source_count": 4} in point["conditions"]
    assert point["location"] and point["self_care_instructions"] and point["english_name"]
    assert point["picture"]["figure"] == "hand"


@pytest.mark.parametrize(
    "params,expected,absent",
    [
        ({"meridian": "SI"}, "SI3", "LI4"),
        ({"region": "foot"}, "KI1", "LI4"),
        ({"condition": "headache"}, "GB20", "SI3"),
        ({"self_care": "true", "search": "hegu"}, "LI4", "GV26"),
        ({"search": "合谷"}, "LI4", "SI3"),
    ],
)
def test_filters(api_as_practitioner, catalogue, params, expected, absent):
    found = results(api_as_practitioner.get("/api/v1/points/", {**params, "page_size": 100}))
    assert expected in found and absent not in found


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
    assert "LI4" not in results(api_as_practitioner.get("/api/v1/points/", {"search": "LI4"}))
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
    # count, page of points, their indications with conditions, their cautions
    with django_assert_num_queries(4):
        api_as_practitioner.get("/api/v1/points/")
    with django_assert_num_queries(4):
        api_as_practitioner.get("/api/v1/points/", {"search": "neck"})
