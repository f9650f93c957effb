"""Conditions and tools that records use are retired, never deleted: a retired one stays on
the records that have it (their drafts open and save unchanged) but is not offered, or
taken, for new ones."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Condition, Point
from homecare import services as homecare
from homecare.rows import ItemRow
from sessions import services
from sessions.rows import PointRow

from ..factories import ConditionFactory, PointFactory, PressureToolFactory
from ..homecare import api_support as sheets_api
from ..html_parts import parse
from ..sessions.page_support import session_form
from ..sessions.session_api_support import LIST, detail, error_at, new_session, point_row

RETIRED_TOOL = "Wooden stick is retired: pick another."
RETIRED_CONDITION = "Whiplash is retired: pick another."


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def as_superuser(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def stick(db):
    return PressureToolFactory(slug="wooden-stick")


@pytest.fixture
def whiplash(db):
    return ConditionFactory(name="Whiplash")


@pytest.fixture
def neck(db):
    return ConditionFactory(name="Neck pain")


@pytest.fixture
def hegu(db):
    return PointFactory(code="LI4", number=4)  # the thumb is its default tool


def record(client_record, practitioner, *, conditions, tool):
    return services.record_session(
        client=client_record,
        practitioner=practitioner,
        started_at=timezone.now() - datetime.timedelta(hours=1),
        pain_before=6,
        pain_after=2,
        outcome="improved",
        conditions=conditions,
        points=[PointRow(point=Point.objects.get(code="LI4"), tool=tool)],
    )


def retire(*objects):
    for obj in objects:
        obj.is_active = False
        obj.save(update_fields=["is_active"])


@pytest.fixture
def draft(client_record, practitioner, hegu, stick, whiplash, neck):
    """A draft for whiplash, pressed with the wooden stick; both retired since."""
    session = record(client_record, practitioner, conditions=[whiplash], tool=stick)
    retire(whiplash, stick)
    return session


@pytest.fixture
def signed(draft, practitioner):
    return services.sign_session(session=draft, practitioner=practitioner)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def as_posted(response, **form):
    """What a browser posts for the form as the page rendered it, left unchanged."""
    page = parse(response.content.decode()).one("form", method="post", **form)
    data = {}
    for field in page.all("input"):
        name, kind = field.attrs.get("name", ""), field.attrs.get("type", "text")
        if not name or "__prefix__" in name or kind in ("submit", "button"):
            continue
        if kind in ("checkbox", "radio") and "checked" not in field.attrs:
            continue
        default = "on" if kind in ("checkbox", "radio") else ""  # as a browser sends it
        data.setdefault(name, []).append(field.attrs.get("value", default))
    # A browser posts only named fields (the body figure's view picker has no name).
    for select in page.all("select"):
        if "__prefix__" not in select.attrs.get("name", "__prefix__"):
            options = select.all("option")
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            data[select.attrs["name"]] = [chosen[0].attrs["value"]]
    for area in page.all("textarea"):
        if "__prefix__" not in area.attrs.get("name", "__prefix__"):
            data[area.attrs["name"]] = [area.text]
    return data


class TestNeverDeleted:
    def test_the_database_refuses_to_delete_a_condition_a_session_has(self, signed, whiplash):
        with pytest.raises(ProtectedError):
            whiplash.delete()
        assert list(signed.conditions.all()) == [whiplash]

    @pytest.mark.parametrize("model", ["condition", "pressuretool"])
    def test_the_admin_offers_no_delete(self, as_superuser, signed, whiplash, stick, model):
        obj = {"condition": whiplash, "pressuretool": stick}[model]
        url = reverse(f"admin:catalogue_{model}_delete", args=[obj.pk])
        assert as_superuser.get(url).status_code == 403
        assert as_superuser.post(url, {"post": "yes"}).status_code == 403
        changelist = reverse(f"admin:catalogue_{model}_changelist")
        actions = as_superuser.get(changelist).context["action_form"].fields["action"].choices
        assert "delete_selected" not in dict(actions)
        bulk = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        as_superuser.post(changelist, bulk)
        assert list(signed.conditions.all()) == [whiplash]
        assert [tp.tool for tp in signed.treated_points.all()] == [stick]

    def test_the_admin_says_to_retire_instead(self, as_superuser, whiplash):
        response = as_superuser.get(reverse("admin:catalogue_condition_change", args=[whiplash.pk]))
        assert "they are never deleted. Retire one instead" in response.content.decode()


class TestRetiringInTheAdmin:
    @pytest.mark.parametrize(
        "model,noun",
        [("condition", "conditions"), ("pressuretool", "pressure tools"), ("point", "points")],
    )
    def test_retire_and_bring_back(
        self, as_superuser, superuser, hegu, whiplash, neck, model, noun
    ):
        objects = {
            "condition": [whiplash, neck],
            "pressuretool": [PressureToolFactory(slug="ball"), PressureToolFactory(slug="stick")],
            "point": [hegu, PointFactory(code="LI5", number=5)],
        }[model]
        changelist = reverse(f"admin:catalogue_{model}_changelist")
        selected = [obj.pk for obj in objects]
        response = as_superuser.post(
            changelist, {"action": "retire_selected", "_selected_action": selected}, follow=True
        )
        assert messages_of(response) == [f"Retired 2 {noun}."]
        retired = type(objects[0]).objects.filter(pk__in=selected)
        assert [obj.is_active for obj in retired] == [False, False]
        latest = objects[0].history.latest()
        assert (latest.history_change_reason, latest.history_user) == ("Retired", superuser)
        assert (
            as_superuser.get(changelist, {"is_active__exact": "0"}).context["cl"].result_count == 2
        )

        response = as_superuser.post(
            changelist,
            {"action": "bring_back_selected", "_selected_action": selected[:1]},
            follow=True,
        )
        assert messages_of(response) == [f"Brought back 1 {noun[:-1]}."]
        assert [obj.is_active for obj in retired.order_by("pk")] == [True, False]

    def test_a_tool_still_a_points_default_is_not_retired(self, as_superuser, hegu):
        thumb = hegu.default_tool
        response = as_superuser.post(
            reverse("admin:catalogue_pressuretool_changelist"),
            {"action": "retire_selected", "_selected_action": [thumb.pk]},
            follow=True,
        )
        assert messages_of(response) == [
            "Thumb is the default tool of LI4: give them another default before retiring it."
        ]
        thumb.refresh_from_db()
        assert thumb.is_active

    def test_nor_by_unticking_active_on_its_page(self, as_superuser, hegu):
        thumb = hegu.default_tool
        url = reverse("admin:catalogue_pressuretool_change", args=[thumb.pk])
        form = {"name": "Thumb", "slug": "thumb", "self_applicable": "on", "position": "0"}
        response = as_superuser.post(url, form)
        assert response.context["adminform"].form.errors["is_active"] == [
            "Thumb is the default tool of LI4: give them another default before retiring it."
        ]
        thumb.refresh_from_db()
        assert thumb.is_active


class TestNotOfferedForNewRecords:
    def test_the_session_form_offers_neither(self, as_practitioner, client_record, draft):
        response = as_practitioner.get(reverse("sessions:session-create", args=[client_record.pk]))
        boxes = parse(response.content.decode()).all("input", name="conditions")
        assert [box.attrs["value"] for box in boxes] == ["neck-pain"]
        menu = dict(response.context["formset"].empty_form.fields["tool"].choices)
        assert list(menu) == ["", "thumb"]

    def test_the_sheet_form_offers_no_retired_tool(self, as_practitioner, client_record, draft):
        response = as_practitioner.get(reverse("homecare:sheet-create", args=[client_record.pk]))
        menu = dict(response.context["formset"].empty_form.fields["tool"].choices)
        assert list(menu) == ["", "thumb"]

    @pytest.mark.parametrize(
        "url,key,retired",
        [("/api/v1/conditions/", "slug", "whiplash"), ("/api/v1/tools/", "slug", "wooden-stick")],
    )
    def test_the_api_lists_them_only_when_asked(
        self, api_as_practitioner, draft, url, key, retired
    ):
        listed = [row[key] for row in api_as_practitioner.get(url).json()["results"]]
        assert retired not in listed and listed
        everything = api_as_practitioner.get(url, {"include_retired": "1"}).json()["results"]
        assert {row[key]: row["is_active"] for row in everything}[retired] is False
        assert api_as_practitioner.get(f"{url}{retired}/").json()["is_active"] is False

    def test_an_old_session_still_shows_them(self, as_practitioner, signed):
        response = as_practitioner.get(reverse("sessions:session-detail", args=[signed.pk]))
        page = parse(response.content.decode())
        assert page.one("dt", text="Conditions").next_element().text == "Whiplash"
        assert page.all("td", text="Wooden stick")


class TestPickedAnew:
    def test_the_page_refuses_a_retired_tool_at_its_row(
        self, as_practitioner, client_record, draft
    ):
        url = reverse("sessions:session-create", args=[client_record.pk])
        data = session_form(
            conditions=["neck-pain"],
            **{"points-TOTAL_FORMS": "1", "points-0-tool": "wooden-stick"},
        )
        response = as_practitioner.post(url, data)
        assert response.context["formset"].forms[0].errors["tool"] == [RETIRED_TOOL]
        assert client_record.treatment_sessions.count() == 1  # the draft only

    def test_the_page_refuses_a_retired_condition_at_its_boxes(
        self, as_practitioner, client_record, draft
    ):
        url = reverse("sessions:session-create", args=[client_record.pk])
        data = session_form(conditions=["whiplash"], **{"points-TOTAL_FORMS": "1"})
        response = as_practitioner.post(url, data)
        assert response.context["form"].errors["conditions"] == [RETIRED_CONDITION]
        assert client_record.treatment_sessions.count() == 1

    def test_the_api_refuses_them_as_field_errors(self, api_as_practitioner, client_record, draft):
        body = new_session(client_record, conditions=["whiplash"])
        response = api_as_practitioner.post(LIST, body, format="json")
        assert error_at(response, "conditions") == RETIRED_CONDITION
        body = new_session(client_record, points=[point_row(tool="wooden-stick")])
        response = api_as_practitioner.post(LIST, body, format="json")
        assert error_at(response, "points", "0", "tool") == RETIRED_TOOL
        assert client_record.treatment_sessions.count() == 1

    def test_a_draft_keeps_a_retired_one_but_takes_no_other(self, api_as_practitioner, draft, neck):
        retire(neck)
        body = {"conditions": ["whiplash", "neck-pain"]}
        response = api_as_practitioner.patch(detail(draft), body, format="json")
        assert error_at(response, "conditions") == "Neck pain is retired: pick another."
        assert list(draft.conditions.all()) == [Condition.objects.get(slug="whiplash")]


class TestADraftThatHasThem:
    def test_the_page_opens_and_saves_it_unchanged(self, as_practitioner, draft, stick, whiplash):
        url = reverse("sessions:session-update", args=[draft.pk])
        page = as_practitioner.get(url)
        html = parse(page.content.decode())
        box = html.one("input", name="conditions", value="whiplash")
        assert "checked" in box.attrs
        labels = [
            label.text for label in html.all("label") if label.attrs.get("for") == box.attrs["id"]
        ]
        assert labels == ["Whiplash (retired)"]
        data = as_posted(page, id="session-form")
        assert data["points-0-tool"] == ["wooden-stick"]
        response = as_practitioner.post(url, {**data, "notes": "Edited after retiring"})
        assert response.status_code == 302, response.context["form"].errors
        draft.refresh_from_db()
        assert draft.notes == "Edited after retiring"
        assert list(draft.conditions.all()) == [whiplash]
        assert [tp.tool for tp in draft.treated_points.all()] == [stick]

    def test_the_api_saves_it_unchanged(self, api_as_practitioner, draft, stick, whiplash):
        body = {**api_as_practitioner.get(detail(draft)).json(), "notes": "Put back as read"}
        response = api_as_practitioner.put(detail(draft), body, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["conditions"] == ["whiplash"]
        assert [p["tool"] for p in response.json()["points"]] == ["wooden-stick"]

    def test_the_sheet_page_saves_it_unchanged(
        self, as_practitioner, client_record, practitioner, hegu, stick
    ):
        sheet = homecare.create_sheet(
            client=client_record, practitioner=practitioner, items=[ItemRow(point=hegu, tool=stick)]
        )
        retire(stick)
        url = reverse("homecare:sheet-update", args=[sheet.pk])
        data = as_posted(as_practitioner.get(url), data_prefix="items")
        assert data["items-0-tool"] == ["wooden-stick"]
        response = as_practitioner.post(url, {**data, "general_advice": "Rest"})
        assert response.status_code == 302, response.context["formset"].errors
        assert [item.tool for item in sheet.items.all()] == [stick]

    def test_the_sheet_api_keeps_it_on_a_draft_and_takes_it_for_no_other(
        self, api_as_practitioner, client_record, practitioner, hegu, stick
    ):
        sheet = homecare.create_sheet(
            client=client_record, practitioner=practitioner, items=[ItemRow(point=hegu, tool=stick)]
        )
        retire(stick)
        url = sheets_api.detail(sheet)
        items = api_as_practitioner.get(url).json()["items"]
        response = api_as_practitioner.patch(url, {"items": items}, format="json")
        assert response.status_code == 200, response.json()
        assert [item["tool"] for item in response.json()["items"]] == ["wooden-stick"]
        body = sheets_api.new_sheet(client_record, [sheets_api.item_row(tool="wooden-stick")])
        response = api_as_practitioner.post(sheets_api.LIST, body, format="json")
        assert error_at(response, "items", "0", "tool") == RETIRED_TOOL
