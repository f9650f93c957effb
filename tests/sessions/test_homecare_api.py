import hashlib

import pytest
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS

from catalogue.models import Point, PressureTool
from sessions import homecare
from sessions.models import HomeCareItem, HomeCareSheet

from ..factories import ClientFactory, PointFactory, TreatedPointFactory, TreatmentSessionFactory

LIST = "/api/v1/homecare-sheets/"


def detail(sheet, action=""):
    return f"{LIST}{sheet.pk}/{action + '/' if action else ''}"


def saved_rows():
    return HomeCareSheet.objects.count(), HomeCareItem.objects.count()


def error_at(response, *path):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()
    for key in path:
        error = error[key]
    return " ".join(error)


def item_row(**overrides):
    return {
        "point": "LI4",
        "tool": "thumb",
        "duration_seconds": 180,
        "times_per_day": 2,
        "side": "both",
        "instructions": "",
        **overrides,
    }


def new_sheet(client, items=None, **overrides):
    return {
        "client": client.pk,
        "items": [item_row()] if items is None else items,
        "general_advice": "Drink water afterwards.",
        "large_print": False,
        "paper": "a4",
        "caution_acknowledged": False,
        **overrides,
    }


def a_sheet(client, practitioner, *, points=1):
    """A draft with factory points, straight from the service."""
    rows = [{"point": PointFactory()} for _ in range(points)]
    return homecare.create_sheet(client=client, practitioner=practitioner, rows=rows)


def pregnant_client(practitioner):
    return ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])


class TestPermissions:
    @pytest.mark.parametrize("route", ["list", "create", "retrieve", "patch", "issue", "pdf"])
    def test_the_matrix(
        self, api, practitioner, colleague, outsider, no_profile_user, client_record, route
    ):
        own_clinic = {"create": 201}.get(route, 200)
        # Another clinic lists only its own sheets, and cannot name our client.
        for_outsider = {"list": 200, "create": 400}.get(route, 404)
        cases = [
            (practitioner.user, own_clinic),
            (colleague.user, own_clinic),
            (outsider.user, for_outsider),
            (no_profile_user, 403),
            (None, 401),
        ]
        for user, expected in cases:
            sheet = a_sheet(client_record, practitioner)
            method, url, body = {
                "list": ("get", LIST, None),
                "create": (
                    "post",
                    LIST,
                    new_sheet(client_record, [{"point": PointFactory().code}]),
                ),
                "retrieve": ("get", detail(sheet), None),
                "patch": ("patch", detail(sheet), {"general_advice": "Changed"}),
                "issue": ("post", detail(sheet, "issue"), None),
                "pdf": ("get", detail(sheet, "pdf"), None),
            }[route]
            before = saved_rows()
            api.force_authenticate(user)
            response = getattr(api, method)(url, body, format="json")
            assert response.status_code == expected, (user, response.content)
            if expected >= 400:
                assert saved_rows() == before, user
                sheet.refresh_from_db()
                assert sheet.general_advice != "Changed" and not sheet.is_issued
            if route == "list" and expected == 200:
                listed = [s["id"] for s in response.json()["results"]]
                assert (sheet.pk in listed) == (user != outsider.user)
            if route == "pdf" and expected == 200:
                assert response.content.startswith(b"%PDF")

    def test_delete_is_not_offered(self, api_as_practitioner, practitioner, client_record):
        sheet = a_sheet(client_record, practitioner)
        assert api_as_practitioner.delete(detail(sheet)).status_code == 405
        assert HomeCareSheet.objects.filter(pk=sheet.pk).exists()

    def test_the_schema_lists_every_route_without_warnings(self, api_as_practitioner, capsys):
        GENERATOR_STATS.reset()  # warnings already shown in this process are not repeated
        response = api_as_practitioner.get("/api/schema/", {"format": "json"})
        assert response.status_code == 200
        paths = response.json()["paths"]
        assert {
            "/api/v1/homecare-sheets/",
            "/api/v1/homecare-sheets/{id}/",
            "/api/v1/homecare-sheets/{id}/issue/",
            "/api/v1/homecare-sheets/{id}/new-version/",
            "/api/v1/homecare-sheets/{id}/pdf/",
        } <= set(paths)
        assert "delete" not in paths["/api/v1/homecare-sheets/{id}/"]
        pdf = paths["/api/v1/homecare-sheets/{id}/pdf/"]["get"]["responses"]["200"]["content"]
        assert set(pdf) == {"application/pdf"}
        assert "homecare" not in capsys.readouterr().err.lower()


class TestFromSession:
    def test_cautioned_points_are_left_out_and_tools_made_self_applicable(
        self, api_as_practitioner, practitioner, catalogue
    ):
        client = pregnant_client(practitioner)
        session = TreatmentSessionFactory(client=client, practitioner=practitioner)
        points = {p.code: p for p in Point.objects.filter(code__in=["LI4", "SI3", "GB30"])}
        tools = {t.slug: t for t in PressureTool.objects.all()}
        for position, (code, tool, side) in enumerate(
            [("LI4", "thumb", "both"), ("SI3", "pencil-eraser", "left"), ("GB30", "elbow", "right")]
        ):
            TreatedPointFactory(
                session=session,
                position=position,
                point=points[code],
                tool=tools[tool],
                side=side,
                duration_seconds=120,
            )

        response = api_as_practitioner.post(LIST, {"session": session.pk}, format="json")

        assert response.status_code == 201, response.json()
        created = response.json()
        assert created["left_out"] == ["LI4: Pregnancy"]
        assert created["items"] == [
            {
                "point": "SI3",
                "point_name": "Back Stream",
                "tool": "pencil-eraser",
                "duration_seconds": 120,
                "times_per_day": 2,
                "side": "left",
                "instructions": points["SI3"].self_care_instructions,
            },
            {
                "point": "GB30",
                "point_name": "Circle Jump",
                "tool": "knuckle",
                "duration_seconds": 120,
                "times_per_day": 2,
                "side": "right",
                "instructions": points["GB30"].self_care_instructions,
            },
        ]
        assert created["session"] == session.pk and created["client"] == client.pk
        assert created["created_by"] == practitioner.pk
        assert (created["version"], created["supersedes"]) == (1, None)
        assert (created["issued_at"], created["pdf_sha256"]) == (None, "")
        sheet = HomeCareSheet.objects.get(pk=created["id"])
        assert [i.point.code for i in sheet.items.all()] == ["SI3", "GB30"]
        del created["left_out"]
        assert api_as_practitioner.get(detail(sheet)).json() == created

    def test_the_session_is_all_it_takes(
        self, api_as_practitioner, practitioner, catalogue, client_record
    ):
        session = TreatmentSessionFactory(client=client_record, practitioner=practitioner)
        body = {"session": session.pk, "items": [item_row()]}
        response = api_as_practitioner.post(LIST, body, format="json")
        assert "edit the draft afterwards" in error_at(response, "items")
        assert saved_rows() == (0, 0)


class TestFromClient:
    def test_it_works_with_the_catalogues_defaults(
        self, api_as_practitioner, practitioner, catalogue, client_record
    ):
        body = new_sheet(
            client_record,
            [{"point": "gb20"}, item_row(point="LI4", tool="Knuckle", times_per_day=3)],
            large_print=True,
            paper="letter",
        )
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 201, response.json()
        created = response.json()
        gb20 = Point.objects.select_related("default_tool").get(code="GB20")
        assert created["items"][0] == {
            "point": "GB20",
            "point_name": gb20.english_name,
            "tool": gb20.default_tool.slug,
            "duration_seconds": gb20.default_duration_seconds,
            "times_per_day": 2,
            "side": "both",
            "instructions": gb20.self_care_instructions,
        }
        assert created["items"][1]["tool"] == "knuckle"
        assert created["items"][1]["times_per_day"] == 3
        assert created["left_out"] == []
        assert created["general_advice"] == "Drink water afterwards."
        assert (created["large_print"], created["paper"]) == (True, "letter")
        assert created["session"] is None
        assert saved_rows() == (1, 2)

    def test_a_caution_must_be_acknowledged_and_is_stored(
        self, api_as_practitioner, practitioner, catalogue
    ):
        client = pregnant_client(practitioner)
        body = new_sheet(client, [item_row(point="SP6"), item_row(point="GB20")])
        response = api_as_practitioner.post(LIST, body, format="json")
        assert "SP6: Pregnancy" in error_at(response, "caution_acknowledged")
        assert saved_rows() == (0, 0)

        body["caution_acknowledged"] = True
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 201, response.json()
        created = response.json()
        assert created["caution_acknowledged"] is True
        assert created["acknowledged_cautions"] == ["SP6: Pregnancy"]
        assert [i["point"] for i in created["items"]] == ["SP6", "GB20"]


class TestBadInput:
    @pytest.mark.parametrize(
        "row,field,message",
        [
            ({"point": "ZZ99"}, "point", "Unknown or retired point: ZZ99"),
            ({"tool": "elbow"}, "tool", "Choose a tool the client can use on themselves."),
            ({"tool": "spoon"}, "tool", "Choose a tool the client can use on themselves."),
            ({"times_per_day": 0}, "times_per_day", "At least once a day."),
            ({"times_per_day": 11}, "times_per_day", "No more than 10 times a day."),
            ({"duration_seconds": 0}, "duration_seconds", "more than zero"),
            ({"duration_seconds": 1801}, "duration_seconds", "1800 seconds"),
            ({"side": "upside"}, "side", "not a valid choice"),
        ],
    )
    def test_a_bad_item_is_a_field_error_and_nothing_is_saved(
        self, api_as_practitioner, catalogue, client_record, row, field, message
    ):
        body = new_sheet(client_record, [item_row(point="GB20"), item_row(**row)])
        response = api_as_practitioner.post(LIST, body, format="json")
        assert message in error_at(response, "items", "1", field)
        assert saved_rows() == (0, 0)

    def test_a_retired_point_is_refused(self, api_as_practitioner, catalogue, client_record):
        Point.objects.filter(code="LI4").update(is_active=False)
        response = api_as_practitioner.post(LIST, new_sheet(client_record), format="json")
        assert "Unknown or retired point: LI4" in error_at(response, "items", "0", "point")
        assert saved_rows() == (0, 0)

    def test_another_clinics_client_or_session_is_refused(
        self, api_as_practitioner, catalogue, outsider
    ):
        stranger = ClientFactory(clinic=outsider.clinic)
        session = TreatmentSessionFactory(client=stranger, practitioner=outsider)
        response = api_as_practitioner.post(LIST, new_sheet(stranger), format="json")
        assert "object does not exist" in error_at(response, "client")
        response = api_as_practitioner.post(LIST, {"session": session.pk}, format="json")
        assert "object does not exist" in error_at(response, "session")
        assert saved_rows() == (0, 0)

    @pytest.mark.parametrize(
        "with_session,with_client,message",
        [(True, True, "not both"), (False, False, "Give a session")],
    )
    def test_exactly_one_of_session_and_client(
        self,
        api_as_practitioner,
        practitioner,
        catalogue,
        client_record,
        with_session,
        with_client,
        message,
    ):
        session = TreatmentSessionFactory(client=client_record, practitioner=practitioner)
        body = new_sheet(client_record)
        if with_session:
            body["session"] = session.pk
        if not with_client:
            del body["client"]
        response = api_as_practitioner.post(LIST, body, format="json")
        assert message in error_at(response, "non_field_errors")
        assert saved_rows() == (0, 0)

    def test_an_archived_client_gets_no_new_sheet(
        self, api_as_practitioner, catalogue, client_record
    ):
        client_record.archive()
        response = api_as_practitioner.post(LIST, new_sheet(client_record), format="json")
        assert "archived" in error_at(response, "non_field_errors")
        assert saved_rows() == (0, 0)

    @pytest.mark.parametrize(
        "payload,content_type",
        [
            ("{not json", "application/json"),
            ("[1, 2, 3]", "application/json"),
            ('"LI4"', "application/json"),
            ('{"items": [[]], "client": [], "paper": {}}', "application/json"),
            ('{"items": "LI4", "session": "one"}', "application/json"),
            ("\x00\xff", "application/octet-stream"),
        ],
    )
    def test_malformed_input_is_a_json_400(
        self, api_as_practitioner, client_record, payload, content_type
    ):
        response = api_as_practitioner.generic("POST", LIST, payload, content_type=content_type)
        assert 400 <= response.status_code < 500
        assert response["Content-Type"].startswith("application/json")
        assert saved_rows() == (0, 0)


class TestEditing:
    @pytest.fixture
    def sheet(self, api_as_practitioner, catalogue, client_record):
        body = new_sheet(client_record, [item_row(), item_row(point="GB20")])
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 201, response.json()
        return HomeCareSheet.objects.get(pk=response.json()["id"])

    def items(self, sheet):
        return [(i.point.code, i.times_per_day) for i in sheet.items.all()]

    def test_a_patch_keeps_what_it_leaves_out(self, api_as_practitioner, sheet):
        response = api_as_practitioner.patch(detail(sheet), {"large_print": True}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["large_print"] is True
        assert response.json()["general_advice"] == "Drink water afterwards."
        assert self.items(sheet) == [("LI4", 2), ("GB20", 2)]

    def test_sending_items_replaces_them(self, api_as_practitioner, sheet):
        body = {"items": [item_row(point="PC6", times_per_day=4)]}
        response = api_as_practitioner.put(detail(sheet), body, format="json")
        assert response.status_code == 200, response.json()
        assert [i["point"] for i in response.json()["items"]] == ["PC6"]
        assert self.items(sheet) == [("PC6", 4)]

    def test_bad_input_changes_nothing(self, api_as_practitioner, sheet):
        body = {"general_advice": "Changed", "items": [item_row(times_per_day=11)]}
        response = api_as_practitioner.patch(detail(sheet), body, format="json")
        assert "No more than 10" in error_at(response, "items", "0", "times_per_day")
        sheet.refresh_from_db()
        assert sheet.general_advice == "Drink water afterwards."
        assert self.items(sheet) == [("LI4", 2), ("GB20", 2)]

    def test_the_client_cannot_change(self, api_as_practitioner, sheet, practitioner):
        other = ClientFactory(clinic=practitioner.clinic)
        response = api_as_practitioner.patch(detail(sheet), {"client": other.pk}, format="json")
        assert "cannot change" in error_at(response, "client")
        sheet.refresh_from_db()
        assert sheet.client_id != other.pk

    def test_adding_a_cautioned_point_needs_the_acknowledgement(
        self, api_as_practitioner, sheet, client_record
    ):
        client_record.health_flags = ["pregnancy"]
        client_record.save()
        body = {"items": [item_row(point="GB20"), item_row(point="SP6")]}
        response = api_as_practitioner.patch(detail(sheet), body, format="json")
        assert "SP6: Pregnancy" in error_at(response, "caution_acknowledged")
        assert self.items(sheet) == [("LI4", 2), ("GB20", 2)]
        body["caution_acknowledged"] = True
        response = api_as_practitioner.patch(detail(sheet), body, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["acknowledged_cautions"] == ["SP6: Pregnancy"]


class TestIssuing:
    @pytest.fixture
    def sheet(self, api_as_practitioner, catalogue, client_record):
        body = new_sheet(client_record, [item_row(), item_row(point="GB20", side="left")])
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 201, response.json()
        return HomeCareSheet.objects.get(pk=response.json()["id"])

    def test_an_issued_sheet_serves_the_same_stored_pdf(
        self, api, api_as_practitioner, sheet, practitioner, colleague
    ):
        api.force_authenticate(colleague.user)
        response = api.post(detail(sheet, "issue"))
        assert response.status_code == 200, response.json()
        issued = response.json()
        assert len(issued["pdf_sha256"]) == 64
        assert issued["issued_by"] == colleague.pk and issued["issued_at"] is not None

        first = api.get(detail(sheet, "pdf"))
        second = api.get(detail(sheet, "pdf"), HTTP_ACCEPT="application/pdf")
        assert first.status_code == second.status_code == 200
        assert first["Content-Type"] == "application/pdf"
        assert f"homecare-{sheet.pk}-v1.pdf" in first["Content-Disposition"]
        assert first.content == second.content
        assert first.content.startswith(b"%PDF")
        assert hashlib.sha256(first.content).hexdigest() == issued["pdf_sha256"]

    def test_a_draft_pdf_is_a_preview(self, api_as_practitioner, sheet):
        response = api_as_practitioner.get(detail(sheet, "pdf"))
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        assert "draft" in response["Content-Disposition"]
        sheet.refresh_from_db()
        assert not sheet.is_issued and sheet.pdf is None

    def test_an_issued_sheet_cannot_change(self, api_as_practitioner, sheet):
        api_as_practitioner.post(detail(sheet, "issue"))
        sheet.refresh_from_db()
        body = {"general_advice": "Changed", "items": [item_row(point="PC6")]}
        for method in ("patch", "put"):
            response = getattr(api_as_practitioner, method)(detail(sheet), body, format="json")
            assert "issued" in error_at(response, "non_field_errors")
        unchanged = HomeCareSheet.objects.get(pk=sheet.pk)
        assert unchanged.general_advice == "Drink water afterwards."
        assert unchanged.pdf_sha256 == sheet.pdf_sha256
        assert [i.point.code for i in unchanged.items.all()] == ["LI4", "GB20"]
        response = api_as_practitioner.post(detail(sheet, "issue"))
        assert "already issued" in error_at(response, "non_field_errors")

    def test_an_empty_sheet_is_not_issued(self, api_as_practitioner, practitioner, client_record):
        sheet = homecare.create_sheet(client=client_record, practitioner=practitioner, rows=[])
        response = api_as_practitioner.post(detail(sheet, "issue"))
        assert "at least one point" in error_at(response, "non_field_errors")
        sheet.refresh_from_db()
        assert not sheet.is_issued

    def test_a_new_version_is_a_draft_copy(self, api, api_as_practitioner, sheet, colleague):
        response = api_as_practitioner.post(detail(sheet, "new-version"))
        assert "still a draft" in error_at(response, "non_field_errors")
        original = api_as_practitioner.post(detail(sheet, "issue")).json()

        api.force_authenticate(colleague.user)
        response = api.post(detail(sheet, "new-version"))

        assert response.status_code == 201, response.json()
        copy = response.json()
        assert copy["id"] != sheet.pk
        assert (copy["version"], copy["supersedes"]) == (2, sheet.pk)
        assert (copy["issued_at"], copy["issued_by"], copy["pdf_sha256"]) == (None, None, "")
        assert copy["created_by"] == colleague.pk
        assert copy["items"] == original["items"]
        assert copy["general_advice"] == original["general_advice"]
        response = api.patch(f"{LIST}{copy['id']}/", {"large_print": True}, format="json")
        assert response.status_code == 200, response.json()


class TestListing:
    def ids(self, api, **params):
        response = api.get(LIST, params)
        assert response.status_code == 200, response.json()
        return [s["id"] for s in response.json()["results"]]

    def test_filter_by_client(self, api_as_practitioner, practitioner, client_record):
        other = ClientFactory(clinic=practitioner.clinic)
        first = a_sheet(client_record, practitioner)
        theirs = a_sheet(other, practitioner)
        last = a_sheet(client_record, practitioner)
        api = api_as_practitioner
        assert self.ids(api) == [last.pk, theirs.pk, first.pk]
        assert self.ids(api, client=client_record.pk) == [last.pk, first.pk]
        assert self.ids(api, client=other.pk) == [theirs.pk]
        assert set(api.get(LIST, {"client": "Margaret"}).json()) == {"client"}

    @pytest.mark.parametrize("rows", [1, 20])
    def test_list_query_count_is_constant(
        self, api_as_practitioner, practitioner, client_record, django_assert_num_queries, rows
    ):
        for _ in range(rows):
            sheet = a_sheet(client_record, practitioner, points=2)
            HomeCareSheet.objects.filter(pk=sheet.pk).update(
                issued_at=timezone.now(), issued_by=practitioner, pdf=b"%PDF", pdf_sha256="0" * 64
            )
        # count, page of sheets (with client, creator and issuer, but not the PDF bytes),
        # items (with point and tool). force_authenticate hands over a user whose
        # practitioner profile is already loaded.
        with django_assert_num_queries(3) as captured:
            response = api_as_practitioner.get(LIST)
        assert response.status_code == 200
        results = response.json()["results"]
        assert len(results) == rows
        assert all(len(s["items"]) == 2 and s["issued_by"] == practitioner.pk for s in results)
        assert not any('."pdf"' in query["sql"] for query in captured.captured_queries)
