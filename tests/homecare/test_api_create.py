import pytest

from catalogue.models import Point, PressureTool
from homecare.models import HomeCareSheet

from ..factories import ClientFactory, TreatedPointFactory, TreatmentSessionFactory
from .api_support import (
    LIST,
    detail,
    error_at,
    item_row,
    new_sheet,
    pregnant_client,
    saved_rows,
)


class TestFromSession:
    def test_its_points_come_with_tools_the_client_can_use(
        self, api_as_practitioner, practitioner, catalogue
    ):
        # LI4 only carries a note for pregnancy (no "avoid"), so it is kept, to be
        # acknowledged; points to avoid are left out (test_sheet_cautions.py).
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
        assert created["left_out"] == []
        assert created["items"] == [
            {
                "point": "LI4",
                "point_name": "Joining Valley",
                "tool": "thumb",
                "duration_seconds": 120,
                "times_per_day": 2,
                "side": "both",
                "instructions": points["LI4"].self_care_instructions,
            },
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
                "tool": "tennis-ball",  # pressed with an elbow in the clinic; its text's ball
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
        assert [i.point.code for i in sheet.items.all()] == ["LI4", "SI3", "GB30"]
        assert not sheet.caution_acknowledged  # to be acknowledged when the draft is saved
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
            ({"tool": "spoon"}, "tool", "Unknown pressure tool: spoon."),
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
        assert "archived" in error_at(response, "client")
        assert saved_rows() == (0, 0)

    @pytest.mark.parametrize(
        "payload,content_type,status",
        [
            ("{not json", "application/json", 400),
            ("[1, 2, 3]", "application/json", 400),
            ('"LI4"', "application/json", 400),
            ('{"items": [[]], "client": [], "paper": {}}', "application/json", 400),
            ('{"items": "LI4", "session": "one"}', "application/json", 400),
            ("\x00\xff", "application/octet-stream", 415),
        ],
    )
    def test_malformed_input_is_refused_with_a_json_error(
        self, api_as_practitioner, client_record, payload, content_type, status
    ):
        response = api_as_practitioner.generic("POST", LIST, payload, content_type=content_type)
        assert response.status_code == status
        assert response["Content-Type"].startswith("application/json")
        assert saved_rows() == (0, 0)
