import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from catalogue.models import Point
from sessions.models import Amendment, TreatedPoint, TreatmentSession

from ..factories import (
    ClientFactory,
    ConditionFactory,
    PointFactory,
    TreatedPointFactory,
    TreatmentSessionFactory,
)

LIST = "/api/v1/sessions/"


@pytest.fixture
def catalogue(db):
    """The shipped catalogue, loaded as `make run` loads it."""
    call_command("load_catalogue", verbosity=0)


def detail(session):
    return f"{LIST}{session.pk}/"


def an_hour_ago():
    return (timezone.now() - datetime.timedelta(hours=1)).isoformat()


def point_row(**overrides):
    return {
        "point": "LI4",
        "side": "left",
        "tool": "thumb",
        "duration_seconds": 180,
        "pressure": "moderate",
        "response": "relief",
        **overrides,
    }


def new_session(for_client, **overrides):
    return {
        "client": for_client.pk,
        "started_at": an_hour_ago(),
        "conditions": ["neck-pain"],
        "complaint": "Stiff neck after driving",
        "pain_before": 7,
        "pain_after": 3,
        "outcome": "improved",
        "notes": "Responded well.",
        "follow_up": "Review in a week.",
        "points": [point_row()],
        **overrides,
    }


def saved_rows():
    return TreatmentSession.objects.count(), TreatedPoint.objects.count()


def everything_saved():
    signed = TreatmentSession.objects.signed().count()
    return (*saved_rows(), signed, Amendment.objects.count())


def error_at(response, *path):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()
    for key in path:
        error = error[key]
    return " ".join(error)


def a_session(client, practitioner, *, signed=False, points=1, **fields):
    """A finished session with its points, straight from the factories."""
    fields.setdefault("started_at", timezone.now() - datetime.timedelta(days=1))
    session = TreatmentSessionFactory(
        client=client,
        practitioner=practitioner,
        signed_at=timezone.now() if signed else None,
        signed_by=practitioner if signed else None,
        **fields,
    )
    for position in range(points):
        point = PointFactory()
        TreatedPointFactory(
            session=session, position=position, point=point, tool=point.default_tool
        )
    return session


class TestPermissions:
    @pytest.mark.parametrize("route", ["list", "create", "retrieve", "update", "sign", "amend"])
    def test_the_matrix(
        self, api, practitioner, colleague, outsider, no_profile_user, client_record, route
    ):
        point = PointFactory()
        own_clinic = {
            "list": 200,
            "create": 201,
            "retrieve": 200,
            "update": 200,
            "sign": 200,
            "amend": 200,
        }[route]
        # Another clinic lists only its own sessions, and cannot name our client.
        for_outsider = {"list": 200, "create": 400}.get(route, 404)
        cases = [
            (practitioner.user, own_clinic),
            (colleague.user, own_clinic),
            (outsider.user, for_outsider),
            (no_profile_user, 403),
            (None, 401),
        ]
        for user, expected in cases:
            session = a_session(client_record, practitioner, signed=route == "amend")
            method, url, body = {
                "list": ("get", LIST, None),
                "create": (
                    "post",
                    LIST,
                    new_session(client_record, points=[point_row(point=point.code)], conditions=[]),
                ),
                "retrieve": ("get", detail(session), None),
                "update": ("patch", detail(session), {"notes": "Changed"}),
                "sign": ("post", detail(session) + "sign/", None),
                "amend": ("post", detail(session) + "amend/", {"reason": "Typo", "notes": "Fixed"}),
            }[route]
            before = everything_saved()
            api.force_authenticate(user)
            response = getattr(api, method)(url, body, format="json")
            assert response.status_code == expected, (user, response.content)
            if expected >= 400:
                assert everything_saved() == before, user
                session.refresh_from_db()
                assert session.notes == ""
            if route == "list" and expected == 200:
                listed = [s["id"] for s in response.json()["results"]]
                assert (session.pk in listed) == (user != outsider.user)

    def test_delete_is_not_offered(self, api_as_practitioner, practitioner, client_record):
        session = a_session(client_record, practitioner)
        assert api_as_practitioner.delete(detail(session)).status_code == 405
        assert TreatmentSession.objects.filter(pk=session.pk).exists()

    def test_the_schema_lists_every_route(self, api_as_practitioner):
        paths = api_as_practitioner.get("/api/schema/", {"format": "json"}).json()["paths"]
        assert {
            "/api/v1/sessions/",
            "/api/v1/sessions/{id}/",
            "/api/v1/sessions/{id}/sign/",
            "/api/v1/sessions/{id}/amend/",
        } <= set(paths)
        assert "delete" not in paths["/api/v1/sessions/{id}/"]


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
            "tool": "elbow",
            "duration_seconds": gb30.default_duration_seconds,
            "pressure": "firm",
            "response": "",
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
        response = api_as_practitioner.post(LIST, body, format="json")
        assert "SP6: Pregnancy" in error_at(response, "caution_acknowledged")
        assert saved_rows() == (0, 0)

        body["caution_acknowledged"] = True
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["caution_acknowledged"] is True
        assert response.json()["acknowledged_cautions"] == ["SP6: Pregnancy"]
        assert TreatmentSession.objects.get().acknowledged_cautions == ["SP6: Pregnancy"]

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
            ({"caution_acknowledged": "perhaps"}, "caution_acknowledged"),
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
        "payload,content_type",
        [
            ("{not json", "application/json"),
            ("[1, 2, 3]", "application/json"),
            ('"LI4"', "application/json"),
            ('{"points": [[]], "client": [], "pain_before": {}}', "application/json"),
            ("\x00\xff", "application/octet-stream"),
        ],
    )
    def test_malformed_input_never_gives_a_500(
        self, api_as_practitioner, client_record, payload, content_type
    ):
        response = api_as_practitioner.generic("POST", LIST, payload, content_type=content_type)
        assert 400 <= response.status_code < 500
        assert response["Content-Type"].startswith("application/json")
        assert saved_rows() == (0, 0)


class TestEditing:
    @pytest.fixture
    def session(self, api_as_practitioner, catalogue, client_record):
        body = new_session(client_record, points=[point_row(), point_row(point="GB20")])
        response = api_as_practitioner.post(LIST, body, format="json")
        assert response.status_code == 201, response.json()
        return TreatmentSession.objects.get(pk=response.json()["id"])

    def test_a_patch_keeps_what_it_leaves_out(self, api_as_practitioner, session):
        response = api_as_practitioner.patch(detail(session), {"notes": "Better"}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["notes"] == "Better"
        assert [p["point"] for p in response.json()["points"]] == ["LI4", "GB20"]
        assert response.json()["conditions"] == ["neck-pain"]
        assert response.json()["pain_before"] == 7

    def test_sending_points_replaces_them(self, api_as_practitioner, session, client_record):
        body = new_session(
            client_record, points=[point_row(point="ST36", side="both")], notes="Redone"
        )
        response = api_as_practitioner.put(detail(session), body, format="json")
        assert response.status_code == 200, response.json()
        assert [tp.point.code for tp in session.treated_points.all()] == ["ST36"]
        session.refresh_from_db()
        assert session.notes == "Redone"

    def test_bad_input_changes_nothing(self, api_as_practitioner, session):
        response = api_as_practitioner.patch(
            detail(session),
            {"pain_after": 11, "points": [point_row(), point_row(duration_seconds=0)]},
            format="json",
        )
        assert "pain_after" in response.json() and response.status_code == 400
        session.refresh_from_db()
        assert session.pain_after == 3 and session.treated_points.count() == 2

    def test_the_client_cannot_change(self, api_as_practitioner, session, practitioner):
        other = ClientFactory(clinic=practitioner.clinic)
        response = api_as_practitioner.patch(detail(session), {"client": other.pk}, format="json")
        assert "cannot be changed" in error_at(response, "client")
        session.refresh_from_db()
        assert session.client != other

    def test_adding_a_cautioned_point_needs_the_acknowledgement(
        self, api_as_practitioner, session, client_record
    ):
        client_record.health_flags = ["pregnancy"]
        client_record.save()
        body = {"points": [point_row(point="SP6")]}
        response = api_as_practitioner.patch(detail(session), body, format="json")
        assert "SP6: Pregnancy" in error_at(response, "caution_acknowledged")
        assert [tp.point.code for tp in session.treated_points.all()] == ["LI4", "GB20"]


class TestSigningAndAmending:
    @pytest.fixture
    def session(self, practitioner, client_record):
        return a_session(client_record, practitioner, points=2, notes="First notes")

    def sign(self, api, session):
        return api.post(detail(session) + "sign/")

    def test_signing_makes_it_read_only(self, api_as_practitioner, practitioner, session):
        response = self.sign(api_as_practitioner, session)
        assert response.status_code == 200, response.json()
        assert response.json()["signed_by"] == practitioner.pk
        assert response.json()["is_signed"] is True
        for method in ("patch", "put"):
            response = getattr(api_as_practitioner, method)(
                detail(session),
                {"notes": "Sneaky", "points": [], "client": session.client_id},
                format="json",
            )
            assert "signed" in error_at(response, "non_field_errors")
        session.refresh_from_db()
        assert session.notes == "First notes" and session.treated_points.count() == 2

    def test_signing_twice_is_refused(self, api_as_practitioner, session):
        self.sign(api_as_practitioner, session)
        assert "already signed" in error_at(
            self.sign(api_as_practitioner, session), "non_field_errors"
        )

    def test_an_unfinished_session_cannot_be_signed(
        self, api_as_practitioner, practitioner, client_record
    ):
        unfinished = a_session(client_record, practitioner, points=0, pain_after=None, outcome="")
        response = self.sign(api_as_practitioner, unfinished)
        assert response.status_code == 400
        assert set(response.json()) == {"pain_after", "outcome", "points"}
        unfinished.refresh_from_db()
        assert not unfinished.is_signed

    def test_an_amendment_keeps_the_original_visible(self, api, colleague, session, practitioner):
        api.force_authenticate(practitioner.user)
        self.sign(api, session)
        api.force_authenticate(colleague.user)
        before = timezone.now()
        response = api.post(
            detail(session) + "amend/",
            {"reason": "Misheard the score", "pain_after": 2, "notes": "First notes"},
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["pain_after"] == 2
        [amendment] = body["amendments"]
        assert amendment["amended_by"] == colleague.pk
        assert amendment["reason"] == "Misheard the score"
        assert amendment["changes"] == {"pain_after": {"old": 3, "new": 2}}
        assert datetime.datetime.fromisoformat(amendment["amended_at"]) >= before
        session.refresh_from_db()
        assert session.pain_after == 2 and session.is_signed
        assert api.get(detail(session)).json()["amendments"] == [amendment]

    @pytest.mark.parametrize(
        "body,field,message",
        [
            ({"notes": "Fixed"}, "reason", "required"),
            ({"reason": "   ", "notes": "Fixed"}, "reason", "blank"),
            ({"reason": "Nothing", "notes": "First notes"}, "non_field_errors", "changes nothing"),
            ({"reason": "Typo", "pain_after": 11}, "pain_after", "less than or equal to 10"),
            ({"reason": "Typo", "pain_after": None}, "pain_after", "null"),
            ({"reason": "Typo", "outcome": ""}, "outcome", "not a valid choice"),
        ],
    )
    def test_a_bad_amendment_is_refused(self, api_as_practitioner, session, body, field, message):
        self.sign(api_as_practitioner, session)
        response = api_as_practitioner.post(detail(session) + "amend/", body, format="json")
        assert message in error_at(response, field)
        assert Amendment.objects.count() == 0
        session.refresh_from_db()
        assert session.notes == "First notes" and session.pain_after == 3

    def test_a_draft_is_edited_not_amended(self, api_as_practitioner, session):
        response = api_as_practitioner.post(
            detail(session) + "amend/", {"reason": "Typo", "notes": "Fixed"}, format="json"
        )
        assert "signed" in error_at(response, "non_field_errors")
        assert Amendment.objects.count() == 0
        session.refresh_from_db()
        assert session.notes == "First notes"


class TestListing:
    def at(self, day, hour=10):
        return timezone.make_aware(datetime.datetime(2025, 3, day, hour))

    def ids(self, api, **params):
        response = api.get(LIST, params)
        assert response.status_code == 200, response.json()
        return [s["id"] for s in response.json()["results"]]

    def test_filters(self, api_as_practitioner, practitioner, client_record):
        other = ClientFactory(clinic=practitioner.clinic)
        early = a_session(client_record, practitioner, started_at=self.at(9, 23))
        middle = a_session(other, practitioner, started_at=self.at(10, 0))
        late = a_session(client_record, practitioner, started_at=self.at(11))
        api = api_as_practitioner
        assert self.ids(api) == [late.pk, middle.pk, early.pk]
        assert self.ids(api, client=client_record.pk) == [late.pk, early.pk]
        assert self.ids(api, date_from="2025-03-10") == [late.pk, middle.pk]
        assert self.ids(api, date_to="2025-03-10") == [middle.pk, early.pk]
        assert self.ids(api, date_from="2025-03-10", date_to="2025-03-10") == [middle.pk]
        assert self.ids(api, client=other.pk, date_to="2025-03-09") == []
        assert set(api.get(LIST, {"date_from": "March"}).json()) == {"date_from"}

    @pytest.mark.parametrize("rows", [1, 30])
    def test_list_query_count_is_constant(
        self, api_as_practitioner, practitioner, client_record, django_assert_num_queries, rows
    ):
        condition = ConditionFactory()
        for _ in range(rows):
            session = a_session(client_record, practitioner, points=2, signed=True)
            session.conditions.add(condition)
            Amendment.objects.create(
                session=session, amended_by=practitioner, reason="Typo", changes={}
            )
        # count, page of sessions (with client, practitioner, signer), conditions,
        # treated points (with point and tool), amendments. force_authenticate hands over
        # a user whose practitioner profile is already loaded.
        with django_assert_num_queries(5):
            response = api_as_practitioner.get(LIST)
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(rows, 25)
        assert all(len(s["points"]) == 2 for s in response.json()["results"])
