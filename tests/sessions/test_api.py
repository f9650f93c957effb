import datetime

import pytest
from django.utils import timezone

from sessions.models import Amendment, TreatmentSession

from ..factories import (
    ClientFactory,
    ConditionFactory,
)
from .session_api_support import (
    LIST,
    SP6_IN_PREGNANCY,
    a_session,
    detail,
    error_at,
    new_session,
    point_row,
)


class TestSchema:
    def test_the_schema_lists_every_route(self, api_as_practitioner):
        paths = api_as_practitioner.get("/api/schema/", {"format": "json"}).json()["paths"]
        assert {
            "/api/v1/sessions/",
            "/api/v1/sessions/{id}/",
            "/api/v1/sessions/{id}/sign/",
            "/api/v1/sessions/{id}/amend/",
        } <= set(paths)
        assert "delete" not in paths["/api/v1/sessions/{id}/"]


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
        assert SP6_IN_PREGNANCY in error_at(response, "acknowledged_cautions")
        assert [tp.point.code for tp in session.treated_points.all()] == ["LI4", "GB20"]

        body["acknowledged_cautions"] = [SP6_IN_PREGNANCY]
        response = api_as_practitioner.patch(detail(session), body, format="json")
        assert response.status_code == 200, response.json()
        assert [tp.point.code for tp in session.treated_points.all()] == ["SP6"]
        assert response.json()["acknowledged_cautions"] == [SP6_IN_PREGNANCY]


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

    def test_an_amendment_keeps_the_original_visible(
        self, api, clinic_manager, session, practitioner
    ):
        api.force_authenticate(practitioner.user)
        self.sign(api, session)
        api.force_authenticate(clinic_manager.user)
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
        assert (amendment["amended_by"], amendment["amended_as"]) == (clinic_manager.pk, "manager")
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

    def test_pages_follow_next_newest_first_with_no_count(
        self, api_as_practitioner, practitioner, client_record, django_assert_max_num_queries
    ):
        """Sessions started at the same moment are neither lost nor repeated between pages."""
        same = self.at(12)
        made = [a_session(client_record, practitioner, started_at=same) for _ in range(27)]
        made += [a_session(client_record, practitioner, started_at=self.at(d)) for d in (1, 2)]
        seen, url, pages = [], LIST, 0
        while url:
            with django_assert_max_num_queries(4) as captured:
                body = api_as_practitioner.get(url).json()
            assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
            assert "count" not in body
            seen += [s["id"] for s in body["results"]]
            url, pages = body["next"], pages + 1
        assert pages == 2
        newest_first = sorted(made, key=lambda s: (s.started_at, s.pk), reverse=True)
        assert seen == [s.pk for s in newest_first]

    def test_a_bad_cursor_is_a_json_404(self, api_as_practitioner):
        response = api_as_practitioner.get(LIST, {"cursor": "not-a-cursor"})
        assert response.status_code == 404
        assert response.json()["detail"] == "Invalid cursor"

    @pytest.mark.parametrize(
        ("params", "found"),
        [
            ({"date_from": "0001-01-01"}, 1),
            ({"date_to": "9999-12-31"}, 1),
            ({"date_from": "9999-12-31"}, 0),
            ({"date_to": "0001-01-01"}, 0),
        ],
    )
    def test_dates_at_the_ends_of_the_calendar(
        self, api, practitioner, client_record, params, found
    ):
        """In Auckland, midnight on 1 January of year 1 is before UTC's calendar starts."""
        from clinic.api_tokens import issue

        practitioner.clinic.time_zone = "Pacific/Auckland"
        practitioner.clinic.save()
        a_session(client_record, practitioner, started_at=self.at(9))
        api.credentials(HTTP_AUTHORIZATION=f"Token {issue(user=practitioner.user)[1]}")
        assert len(self.ids(api, **params)) == found

    @pytest.mark.parametrize("bad", ["99999999999999999999", "-1", "abc"])
    def test_odd_client_ids_are_field_errors(self, api_as_practitioner, bad):
        for url in (LIST, "/api/v1/homecare-sheets/"):
            response = api_as_practitioner.get(url, {"client": bad})
            assert response.status_code == 400 and "client" in response.json(), url

    @pytest.mark.parametrize("rows", [1, 30])
    def test_list_query_count_is_constant(
        self, api_as_practitioner, practitioner, client_record, django_assert_num_queries, rows
    ):
        condition = ConditionFactory()
        for _ in range(rows):
            session = a_session(client_record, practitioner, points=2, signed=True)
            session.conditions.add(condition)
            Amendment.objects.create(
                session=session,
                amended_by=practitioner,
                amended_as=Amendment.AmendedAs.TREATING,
                reason="Typo",
                changes={},
            )
        # page of sessions (with client, practitioner, signer; no count: cursor pages),
        # conditions, treated points (with point and tool), amendments. force_authenticate
        # hands over a user whose practitioner profile is already loaded.
        with django_assert_num_queries(4):
            response = api_as_practitioner.get(LIST)
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(rows, 25)
        assert all(len(s["points"]) == 2 for s in response.json()["results"])
