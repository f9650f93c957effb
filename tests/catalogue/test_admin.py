import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.csv_io import COLUMNS
from catalogue.models import CautionRule, HealthFlag, Point

from ..factories import (
    CautionFactory,
    ConditionFactory,
    IndicationFactory,
    MeridianFactory,
    PointFactory,
    PressureToolFactory,
    UserFactory,
)

CHANGELIST = "/admin/catalogue/point/"
EXPORT = "/admin/catalogue/point/export/"
IMPORT = "/admin/catalogue/point/import/"


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def as_superuser(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def hegu(db):
    point = PointFactory(
        meridian=MeridianFactory(code="LI", name="Large Intestine", position=1),
        number=4,
        pinyin="Hegu",
        hanzi="合谷",
        hanzi_simplified="合谷",
        english_name="Joining Valley",
        region="hand",
        figure="hand_back",
        self_care=True,
    )
    IndicationFactory(point=point, condition=ConditionFactory(name="Headache"))
    CautionFactory(point=point, flag="pregnancy")
    return point


@pytest.fixture
def zusanli(db):
    return PointFactory(
        meridian=MeridianFactory(code="ST", name="Stomach", position=2),
        number=36,
        pinyin="Zusanli",
        hanzi="足三里",
        english_name="Leg Three Miles",
        region="lower_leg",
        figure="leg_front",
        self_care=False,
        not_self_care_reason="needs_training",
        is_active=False,
    )


def listed_codes(response):
    assert response.status_code == 200
    return [point.code for point in response.context["cl"].result_list]


def test_a_superuser_sees_the_changelist_and_change_page(as_superuser, hegu, zusanli):
    assert listed_codes(as_superuser.get(CHANGELIST)) == ["LI4", "ST36"]
    response = as_superuser.get(f"{CHANGELIST}{hegu.pk}/change/")
    assert response.status_code == 200
    assert b"Joining Valley" in response.content
    assert b"code_key" not in response.content


@pytest.mark.parametrize("term", ["li4", "LI 4", "hegu", "Joining Valley", "合谷"])
def test_it_finds_a_point_by_code_pinyin_english_or_characters(as_superuser, hegu, zusanli, term):
    assert listed_codes(as_superuser.get(CHANGELIST, {"q": term})) == ["LI4"]


def test_each_filter_narrows_the_list(as_superuser, hegu, zusanli):
    condition = hegu.conditions.get()
    filters = {
        "meridian__id__exact": hegu.meridian_id,
        "region__exact": "hand",
        "conditions__id__exact": condition.pk,
        "caution": "pregnancy",
        "self_care__exact": "1",
        "is_active__exact": "1",
        "figure__exact": "hand_back",
    }
    for name, value in filters.items():
        assert listed_codes(as_superuser.get(CHANGELIST, {name: value})) == ["LI4"], name


def test_the_change_page_shows_the_picture_and_the_inlines(as_superuser, hegu):
    response = as_superuser.get(f"{CHANGELIST}{hegu.pk}/change/")
    html = response.content.decode()
    assert '<div id="point-preview"><svg' in html
    assert 'class="point-marker"' in html
    assert "/admin/catalogue/point/figure/" in html
    assert 'name="indications-TOTAL_FORMS"' in html
    assert 'name="caution_rules-TOTAL_FORMS"' in html
    assert 'name="caution_rules-0-practitioner_note"' in html  # the pregnancy rule
    assert "Headache" in html


def point_form_data(point, **changes):
    data = {
        "code": point.code,
        "meridian": point.meridian_id,
        "number": point.number,
        "pinyin": point.pinyin,
        "hanzi": point.hanzi,
        "hanzi_simplified": point.hanzi_simplified,
        "english_name": point.english_name,
        "region": point.region,
        "location": point.location,
        "self_care_instructions": point.self_care_instructions,
        "default_tool": point.default_tool_id,
        "default_duration_seconds": point.default_duration_seconds,
        "self_care": "on",
        "self_care_with": "alone",
        "cautions": point.cautions,
        "figure": point.figure,
        "figure_x": point.figure_x,
        "figure_y": point.figure_y,
        "is_active": "on",
    }
    for prefix in ["indications", "caution_rules"]:
        data |= {
            f"{prefix}-TOTAL_FORMS": 0,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    return data | changes


def test_saving_a_point_with_a_new_condition_records_history(as_superuser, zusanli):
    fatigue = ConditionFactory(name="Fatigue")
    response = as_superuser.post(
        f"{CHANGELIST}{zusanli.pk}/change/",
        point_form_data(
            zusanli,
            **{
                "indications-TOTAL_FORMS": 1,
                "indications-0-condition": fatigue.pk,
                "indications-0-source_count": 3,
                "indications-0-sources": "TARA-CAM",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert zusanli.indications.get().condition == fatigue
    assert zusanli.history.count() == 2
    assert as_superuser.get(f"{CHANGELIST}{zusanli.pk}/history/").status_code == 200


def test_a_caution_rule_added_on_the_point_page_names_the_point(as_superuser, zusanli):
    response = as_superuser.post(
        f"{CHANGELIST}{zusanli.pk}/change/",
        point_form_data(
            zusanli,
            **{
                "caution_rules-TOTAL_FORMS": 1,
                "caution_rules-0-key": "our-st36-anticoagulant",
                "caution_rules-0-flag": HealthFlag.objects.get(code="anticoagulant").pk,
                "caution_rules-0-action": "light_only",
                "caution_rules-0-strength": "some sources",
                "caution_rules-0-practitioner_note": "Bruises here: light touch only.",
                "caution_rules-0-client_note": "Press this point gently.",
                "caution_rules-0-sources": "GK",
                "caution_rules-0-is_active": "on",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rule = CautionRule.objects.get(key="our-st36-anticoagulant")
    assert (rule.scope, rule.point, rule.flag.code) == ("point", zusanli, "anticoagulant")
    assert rule.history.count() == 1


def test_it_rejects_a_figure_without_coordinates(as_superuser, zusanli):
    response = as_superuser.post(
        f"{CHANGELIST}{zusanli.pk}/change/", point_form_data(zusanli, figure_y="")
    )
    assert response.status_code == 200
    assert "or leave all three empty" in response.content.decode()
    assert zusanli.history.count() == 1


def test_points_are_never_deleted(as_superuser, hegu):
    assert as_superuser.get(f"{CHANGELIST}{hegu.pk}/delete/").status_code == 403
    actions = dict(as_superuser.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    assert "export_selected" in actions


def test_staff_who_may_only_view_points_cannot_import(client, hegu):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_point"))
    client.force_login(viewer)
    response = client.get(CHANGELIST)
    assert listed_codes(response) == ["LI4"]
    assert IMPORT not in response.content.decode()
    assert client.get(IMPORT).status_code == 403


def read_csv_response(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_it_exports_the_selected_points(as_superuser, hegu, zusanli):
    response = as_superuser.post(
        CHANGELIST, {"action": "export_selected", "_selected_action": [hegu.pk]}
    )
    assert response.content.decode().splitlines()[0] == ",".join(COLUMNS)
    [row] = read_csv_response(response)
    assert row["code"] == "LI4"
    assert row["english_name"] == "Joining Valley"
    assert row["default_tool"] == "thumb"
    assert row["self_care"] == "yes"
    assert (row["figure"], row["figure_x"], row["figure_y"]) == ("hand_back", "20.0", "30.0")


def test_it_exports_the_points_matching_the_current_filters(as_superuser, hegu, zusanli):
    filtered = as_superuser.get(CHANGELIST, {"region__exact": "lower_leg"})
    assert "?region__exact=lower_leg" in filtered.text
    rows = read_csv_response(as_superuser.get(EXPORT, {"region__exact": "lower_leg"}))
    assert [(row["code"], row["is_active"]) for row in rows] == [("ST36", "no")]


def exported_rows(client):
    return read_csv_response(client.get(EXPORT))


def upload(client, rows=None, *, content=None, name="points.csv"):
    if content is None:
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        content = text.getvalue().encode("utf-8")
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_it_imports_a_good_file(as_superuser, hegu, zusanli):
    PressureToolFactory(slug="knuckle")
    rows = exported_rows(as_superuser)
    rows[0] |= {"english_name": "Union Valley", "figure": "", "figure_x": "", "figure_y": ""}
    rows[1] |= {"default_duration_seconds": "60", "default_tool": "knuckle", "is_active": "Yes"}
    response = upload(as_superuser, rows)
    assert response.status_code == 302
    hegu.refresh_from_db()
    zusanli.refresh_from_db()
    assert (hegu.english_name, hegu.has_picture) == ("Union Valley", False)
    assert (zusanli.default_duration_seconds, zusanli.default_tool.slug) == (60, "knuckle")
    assert zusanli.is_active
    latest = hegu.history.first()
    assert (latest.history_change_reason, latest.history_user.username) == (
        "Imported from CSV",
        "root",
    )
    page = as_superuser.get(response.url)
    assert "Updated 2 points from the CSV file (0 unchanged)." in page.content.decode()


def test_an_unchanged_file_records_no_history(as_superuser, hegu):
    response = upload(as_superuser, exported_rows(as_superuser))
    assert response.status_code == 302
    assert hegu.history.count() == 1


def test_one_bad_row_imports_nothing_and_every_error_is_listed(as_superuser, hegu, zusanli):
    third = PointFactory(meridian=hegu.meridian, number=11, default_duration_seconds=180)
    rows = exported_rows(as_superuser)
    assert [row["code"] for row in rows] == ["LI4", "LI11", "ST36"]
    rows[0]["english_name"] = "Union Valley"
    rows[1]["region"] = "elbowland"
    rows[2] |= {"default_duration_seconds": "0", "self_care": "maybe", "figure_x": ""}
    response = upload(as_superuser, rows)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported." in html
    assert "Line 3, field region: Select a valid choice. elbowland is not one of" in html
    assert "Line 4, field default_duration_seconds: Ensure this value is greater than" in html
    assert "Line 4, field self_care: Write yes or no" in html
    assert "Line 4, field figure: Give a figure with both coordinates" in html
    assert Point.objects.get(pk=hegu.pk).english_name == "Joining Valley"
    assert Point.objects.get(pk=third.pk).region == "hand"
    assert Point.objects.get(pk=zusanli.pk).default_duration_seconds == 180
    assert hegu.history.count() == 1


@pytest.mark.parametrize(
    "content, name, message",
    [
        ("code,english_name\nLI4,Union Valley\n", "points.csv", "lacks the columns: region"),
        ("", "points.csv", "The file is empty."),
        ("\n\n", "points.csv", "The file is empty."),
        ("code\nLI4\n".encode("utf-16"), "points.csv", "The file is not UTF-8 text."),
        (b"PK\x03\x04\x14\x00", "points.xlsx", "Choose a .csv file"),
        (",".join(COLUMNS) + "\n", "points.csv", "The file has a header but no points."),
    ],
)
def test_it_explains_an_unusable_file(as_superuser, hegu, content, name, message):
    if isinstance(content, str):
        content = content.encode("utf-8")
    response = upload(as_superuser, content=content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_it_rejects_unknown_and_repeated_codes_and_unknown_tools(as_superuser, hegu):
    [row] = exported_rows(as_superuser)
    rows = [row | {"default_tool": "hammer"}, row, row | {"code": "XX99"}]
    html = upload(as_superuser, rows).content.decode()
    assert "Line 2, field default_tool: No pressure tool has the slug “hammer”." in html
    assert "Line 3, field code: LI4 is already on line 2." in html
    assert "Line 4, field code: no point has the code “XX99”." in html


def test_the_figure_preview_draws_a_marker_for_staff_only(client, as_superuser, hegu):
    url = "/admin/catalogue/point/figure/"
    response = as_superuser.get(url, {"figure": "leg_front", "x": "30", "y": "12.5"})
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.count(b'class="point-marker"') == 1
    # A bilateral point's code gives the second marker; a midline point keeps one.
    bilateral = {"figure": "leg_front", "x": "30", "y": "12.5", "code": "ST36"}
    assert as_superuser.get(url, bilateral).content.count(b'class="point-marker"') == 2
    midline = {"figure": "lower_back", "x": "50", "y": "40", "code": "GV4"}
    assert as_superuser.get(url, midline).content.count(b'class="point-marker"') == 1
    assert as_superuser.get(url, {"figure": "wing", "x": "50", "y": "5"}).status_code == 400
    assert as_superuser.get(url, {"figure": "leg_front", "x": "150", "y": "5"}).status_code == 400
    client.logout()
    assert client.get(url, {"figure": "leg_front", "x": "50", "y": "5"}).status_code == 302


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_the_changelist_query_count_does_not_grow_with_points(as_superuser, hegu):
    # Session, user and practitioner profile; the meridian and condition filter choices;
    # two counts; one page of points joined to meridian and tool; the session save.
    one = changelist_queries(as_superuser)
    for number in range(100, 129):
        point = PointFactory(meridian=hegu.meridian, number=number)
        IndicationFactory(point=point)
        CautionFactory(point=point)
    assert Point.objects.count() == 30
    assert changelist_queries(as_superuser) == one


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"self_care_with": ""}, "self_care_with", "Say how the client presses it"),
        ({"self_care_instructions": ""}, "self_care_instructions", "needs its instructions"),
        ({"self_care": "", "self_care_with": ""}, "not_self_care_reason", "Say why it is not"),
        ({"not_self_care_reason": "near_eye"}, "not_self_care_reason", "Leave this empty"),
        (
            {"self_care_instructions": "Lie on a tennis ball there."},
            "default_tool",
            "never says to press with the thumb",
        ),
        ({"figure": "sole", "figure_x": "20"}, "figure", "do not show the lower leg"),
        ({"figure_x": "70"}, "figure_x", "left half of the view"),
    ],
    ids=["no-way", "no-text", "no-reason", "reason-on-self-care", "ball-text", "view", "side"],
)
def test_an_edit_cannot_undo_the_catalogues_rules(as_superuser, zusanli, changes, field, message):
    before = Point.objects.get(pk=zusanli.pk).history.count()
    response = as_superuser.post(
        f"{CHANGELIST}{zusanli.pk}/change/", point_form_data(zusanli, **changes)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert Point.objects.get(pk=zusanli.pk).history.count() == before


def test_the_admin_search_knows_other_notations_and_typos(as_superuser, catalogue):
    for query, code in [("LIV3", "LR3"), ("hego", "LI4"), ("Du20", "GV20")]:
        response = as_superuser.get(CHANGELIST, {"q": query})
        assert code in listed_codes(response), query
