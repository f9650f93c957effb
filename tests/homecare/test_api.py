import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS

from homecare import services as homecare
from homecare.models import HomeCareSheet

from ..factories import ClientFactory, PractitionerFactory
from .api_support import (
    LIST,
    a_sheet,
    detail,
    error_at,
    item_row,
    new_sheet,
)


class TestSchema:
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
        response = api_as_practitioner.post(detail(sheet, "issue"))
        assert response.status_code == 200, response.json()
        issued = response.json()
        assert len(issued["pdf_sha256"]) == 64
        assert issued["issued_by"] == practitioner.pk and issued["issued_at"] is not None
        api.force_authenticate(colleague.user)  # a colleague reads the same bytes

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
        sheet = homecare.create_sheet(client=client_record, practitioner=practitioner)
        response = api_as_practitioner.post(detail(sheet, "issue"))
        assert "at least one point" in error_at(response, "non_field_errors")
        sheet.refresh_from_db()
        assert not sheet.is_issued

    def test_a_new_version_is_a_draft_copy(self, api, api_as_practitioner, sheet, clinic_manager):
        response = api_as_practitioner.post(detail(sheet, "new-version"))
        assert "still a draft" in error_at(response, "non_field_errors")
        original = api_as_practitioner.post(detail(sheet, "issue")).json()

        api.force_authenticate(clinic_manager.user)  # a manager corrects another's sheet
        response = api.post(detail(sheet, "new-version"))

        assert response.status_code == 201, response.json()
        copy = response.json()
        assert copy["id"] != sheet.pk
        assert (copy["version"], copy["supersedes"]) == (2, sheet.pk)
        assert (copy["issued_at"], copy["issued_by"], copy["pdf_sha256"]) == (None, None, "")
        assert copy["created_by"] == clinic_manager.pk  # the manager's draft now
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

    def test_pages_come_newest_first_by_cursor_without_a_count(
        self, api_as_practitioner, practitioner, client_record, django_assert_max_num_queries
    ):
        """Sheets made at the same moment are neither lost nor repeated between pages."""
        made = [a_sheet(client_record, practitioner, points=1) for _ in range(29)]
        same = timezone.now() - timedelta(days=3)
        HomeCareSheet.objects.filter(pk__in=[s.pk for s in made[:27]]).update(created_at=same)
        other = a_sheet(ClientFactory(), PractitionerFactory(), points=1)  # another clinic's
        seen, url, pages = [], LIST, 0
        while url:
            with django_assert_max_num_queries(2) as captured:
                body = api_as_practitioner.get(url).json()
            assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
            assert "count" not in body
            seen += [s["id"] for s in body["results"]]
            url, pages = body["next"], pages + 1
        assert pages == 2
        newest_first = HomeCareSheet.objects.filter(pk__in=[s.pk for s in made])
        assert seen == list(
            newest_first.order_by("-created_at", "-pk").values_list("pk", flat=True)
        )
        assert other.pk not in seen

    @pytest.mark.parametrize("rows", [1, 20])
    def test_list_query_count_is_constant(
        self, api_as_practitioner, practitioner, client_record, django_assert_num_queries, rows
    ):
        for _ in range(rows):
            sheet = a_sheet(client_record, practitioner, points=2)
            HomeCareSheet.objects.filter(pk=sheet.pk).update(
                issued_at=timezone.now(), issued_by=practitioner, pdf=b"%PDF", pdf_sha256="0" * 64
            )
        # A page of sheets (with client, creator and issuer, but not the PDF bytes; no
        # count), items (with point and tool). force_authenticate hands over a user whose
        # practitioner profile is already loaded.
        with django_assert_num_queries(2) as captured:
            response = api_as_practitioner.get(LIST)
        assert response.status_code == 200
        results = response.json()["results"]
        assert len(results) == rows
        assert all(len(s["items"]) == 2 and s["issued_by"] == practitioner.pk for s in results)
        assert not any('."pdf"' in query["sql"] for query in captured.captured_queries)
