import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from catalogue.models import Point
from sessions.models import TreatedPoint, TreatmentSession

from ..factories import (
    ClientFactory,
)
from .session_api_support import (
    LIST,
    SP6_IN_PREGNANCY,
    an_hour_ago,
    detail,
    error_at,
    new_session,
    point_row,
    saved_rows,
)


class TestRecording:
    def test_it_works(self, api_as_practitioner, practitioner, colleague, catalogue, client_record):
        body = new_session(
            client_record,
            points=[
                point_row(point="li4"),
                {"point": "GB30", "side": "right", "pressure": "firm"},
                point_row(point="GB20", side="both", tool="Knuckle", duration_seconds=60),
            ],
            practitioner=colleague.pk,
            signed_at=an_hour_ago(),
        )
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 201, response.json()
        created = response.json()
        assert [p["point"] for p in created["points"]] == ["LI4", "GB30", "GB20"]
        gb30 = Point.objects.get(code="GB30")
        assert created["points"][1] == {
            "point": "GB30",
            "side": "right",
            "tool": gb30.default_tool.slug,
            "duration_seconds": gb30.default_duration_seconds,
            "pressure": "firm",
            "response": "",
            "held_seconds": None,
            "hold_ended": "",
        }
        assert created["points"][2]["tool"] == "knuckle"
        assert created["points"][2]["duration_seconds"] == 60
        assert created["practitioner"] == practitioner.pk
        assert created["practitioner_name"] == "Ana Duarte"
        assert created["signed_at"] is None and created["signed_by"] is None
        assert created["conditions"] == ["neck-pain"]
        assert created["amendments"] == []
        session = TreatmentSession.objects.get(pk=created["id"])
        assert session.practitioner == practitioner and session.client == client_record
        assert [tp.point.code for tp in session.treated_points.all()] == ["LI4", "GB30", "GB20"]
        assert api_as_practitioner.get(detail(session)).json() == created

    @pytest.mark.parametrize(
        "overrides,row,path,message",
        [
            ({"pain_before": 11}, {}, ["pain_before"], "less than or equal to 10"),
            ({"pain_before": -1}, {}, ["pain_before"], "greater than or equal to 0"),
            ({"pain_after": 11}, {}, ["pain_after"], "less than or equal to 10"),
            ({}, {"duration_seconds": 0}, ["points", "0", "duration_seconds"], "more than zero"),
            ({}, {"duration_seconds": -5}, ["points", "0", "duration_seconds"], "more than zero"),
            ({}, {"duration_seconds": 1801}, ["points", "0", "duration_seconds"], "1800 seconds"),
            ({}, {"point": "ZZ99"}, ["points", "0", "point"], "Unknown or retired point: ZZ99"),
            ({}, {"tool": "spoon"}, ["points", "0", "tool"], "Unknown pressure tool: spoon"),
            ({}, {"side": "upside"}, ["points", "0", "side"], "not a valid choice"),
            ({}, {"point": "LU1", "tool": None}, ["points", "0", "tool"], "no default tool"),
            ({"conditions": ["hiccups"]}, {}, ["conditions"], "does not exist"),
            ({"outcome": "cured"}, {}, ["outcome"], "not a valid choice"),
            (
                {"started_at": (timezone.now() + datetime.timedelta(days=1)).isoformat()},
                {},
                ["started_at"],
                "cannot be in the future",
            ),
        ],
    )
    def test_bad_input_is_a_field_error_and_nothing_is_saved(
        self, api_as_practitioner, catalogue, client_record, overrides, row, path, message
    ):
        # Every shipped point has a default tool now: LU1's taken away, for "no default tool".
        Point.objects.filter(code="LU1").update(default_tool=None)
        body = new_session(client_record, points=[point_row(**row)], **overrides)
        response = api_as_practitioner.post(LIST, body, format="json")
        assert message in error_at(response, *path)
        assert saved_rows() == (0, 0)

    def test_a_retired_point_is_refused(self, api_as_practitioner, catalogue, client_record):
        Point.objects.filter(code="LI4").update(is_active=False)
        response = api_as_practitioner.post(LIST, new_session(client_record), format="json")
        assert "Unknown or retired point: LI4" in error_at(response, "points", "0", "point")
        assert saved_rows() == (0, 0)

    def test_another_clinics_client_is_refused(self, api_as_practitioner, catalogue, outsider):
        stranger = ClientFactory(clinic=outsider.clinic)
        response = api_as_practitioner.post(LIST, new_session(stranger), format="json")
        assert "object does not exist" in error_at(response, "client")
        assert saved_rows() == (0, 0)

    def test_an_archived_client_gets_no_new_session(
        self, api_as_practitioner, catalogue, client_record
    ):
        client_record.archive()
        response = api_as_practitioner.post(LIST, new_session(client_record), format="json")
        assert "archived" in error_at(response, "client")
        assert saved_rows() == (0, 0)

    def test_a_caution_must_be_acknowledged_and_is_stored(
        self, api_as_practitioner, catalogue, practitioner
    ):
        pregnant = ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])
        body = new_session(pregnant, points=[point_row(point="SP6"), point_row(point="GB20")])
        body["caution_acknowledged"] = True  # read-only now: each caution is acknowledged
        response = api_as_practitioner.post(LIST, body, format="json")
        assert SP6_IN_PREGNANCY in error_at(response, "acknowledged_cautions")
        assert saved_rows() == (0, 0)

        body["acknowledged_cautions"] = ["SP6 Pregnancy"]  # not the label refused
        response = api_as_practitioner.post(LIST, body, format="json")
        assert SP6_IN_PREGNANCY in error_at(response, "acknowledged_cautions")
        assert saved_rows() == (0, 0)

        body["acknowledged_cautions"] = [SP6_IN_PREGNANCY]
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["caution_acknowledged"] is True
        assert response.json()["acknowledged_cautions"] == [SP6_IN_PREGNANCY]
        assert TreatmentSession.objects.get().acknowledged_cautions == [SP6_IN_PREGNANCY]

    def test_a_bad_second_row_saves_neither_the_session_nor_the_first_point(
        self, api_as_practitioner, catalogue, client_record
    ):
        body = new_session(client_record, points=[point_row(), point_row(duration_seconds=1801)])
        response = api_as_practitioner.post(LIST, body, format="json")
        assert "1800 seconds" in error_at(response, "points", "1", "duration_seconds")
        assert "0" not in response.json()["points"]
        assert saved_rows() == (0, 0)

    def test_a_database_failure_on_the_second_point_rolls_everything_back(
        self, api_as_practitioner, catalogue, client_record, monkeypatch
    ):
        real_save = TreatedPoint.save
        saves = []

        def save_breaking_the_second_row(point, *args, **kwargs):
            saves.append(point)
            if len(saves) == 2:
                point.duration_seconds = 0  # refused by the database's check constraint
            return real_save(point, *args, **kwargs)

        monkeypatch.setattr(TreatedPoint, "save", save_breaking_the_second_row)
        body = new_session(client_record, points=[point_row(), point_row(point="GB20")])
        with pytest.raises(IntegrityError):
            api_as_practitioner.post(LIST, body, format="json")
        assert len(saves) == 2
        assert saved_rows() == (0, 0)

    @pytest.mark.parametrize(
        "overrides,field",
        [
            ({"points": "LI4"}, "points"),
            ({"points": [1, 2]}, "points"),
            ({"points": [{"point": ["LI4"], "duration_seconds": "long"}]}, "points"),
            ({"points": None}, "points"),
            ({"conditions": "neck-pain"}, "conditions"),
            ({"client": {"id": 1}}, "client"),
            ({"pain_before": "ten"}, "pain_before"),
            ({"started_at": "yesterday"}, "started_at"),
            ({"acknowledged_cautions": "SP6"}, "acknowledged_cautions"),
            ({"acknowledged_cautions": [["SP6"]]}, "acknowledged_cautions"),
            ({"check_in_found": {"flag": "fever_acute_illness"}}, "check_in_found"),
        ],
    )
    def test_wrong_types_are_field_errors(
        self, api_as_practitioner, catalogue, client_record, overrides, field
    ):
        body = new_session(client_record, **overrides)
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 400
        assert field in response.json()
        assert saved_rows() == (0, 0)

    @pytest.mark.parametrize(
        "payload,content_type,status",
        [
            ("{not json", "application/json", 400),
            ("[1, 2, 3]", "application/json", 400),
            ('"LI4"', "application/json", 400),
            ('{"points": [[]], "client": [], "pain_before": {}}', "application/json", 400),
            ("\x00\xff", "application/octet-stream", 415),
        ],
    )
    def test_malformed_input_never_gives_a_500(
        self, api_as_practitioner, client_record, payload, content_type, status
    ):
        response = api_as_practitioner.generic("POST", LIST, payload, content_type=content_type)
        assert response.status_code == status
        assert response["Content-Type"].startswith("application/json")
        assert saved_rows() == (0, 0)
