"""The sheet carries the client's cautions: each item's client notes, the "Take care" box,
the tool and pressure the rules allow, no point to avoid, and the "See a doctor" signs.
Checked in the PDF's own text (pypdf) and on the print page. pypdf reads the items (boxes
placed relative to the page) after the rest of their page, so only their order among
themselves is checked in it."""

import io
import re

import pytest
import textstat
from django.db.models import Q
from django.urls import reverse
from pypdf import PdfReader

from catalogue.models import CautionRule, Condition, Point, PressureTool, WarningSign
from homecare import services as homecare
from homecare.models import HomeCareSheet
from homecare.rows import ItemRow
from homecare.see_a_doctor import TELL_YOUR_PRACTITIONER
from sessions.condition_links import set_conditions

from ..factories import ClientFactory, TreatedPointFactory, TreatmentSessionFactory
from .api_support import LIST, detail, error_at, item_row, new_sheet


def words(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (the PDF wraps)."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_words(content: bytes) -> str:
    return words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def a_client(practitioner, *flags):
    return ClientFactory(clinic=practitioner.clinic, health_flags=list(flags))


def sheet_of(client, practitioner, *codes, **row):
    return homecare.create_sheet(
        client=client,
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code=code), **row) for code in codes],
        caution_acknowledged=True,
    )


def sheet_pdf(as_practitioner, sheet) -> str:
    response = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk]))
    assert response["Content-Type"] == "application/pdf"
    return pdf_words(response.content)


def print_page(as_practitioner, sheet) -> str:
    return as_practitioner.get(reverse("homecare:sheet-print", args=[sheet.pk])).content.decode()


def applying_notes(flags, codes) -> set[str]:
    """Every client note for these flags (and every client's) at these points: point and
    region rules there, and the whole-body and pressure rules, read straight from the data
    (the rule engine is what the sheet uses)."""
    points = Point.objects.filter(code__in=codes)
    rules = CautionRule.objects.filter(
        flag__code__in=[*flags, "all_clients"], is_active=True
    ).filter(
        Q(scope="point", point__in=points)
        | Q(scope="region", region__in=[p.region for p in points])
        | Q(scope__in=["whole_body", "pressure"])
    )
    return {rule.client_note for rule in rules}


class TestTheClientNotes:
    def test_a_pregnant_clients_sheet_holds_every_applying_note(
        self, as_practitioner, catalogue, practitioner
    ):
        client = a_client(practitioner, "pregnancy")
        sheet = sheet_of(client, practitioner, "SP6", "LI4", "GB21")
        text, page = sheet_pdf(as_practitioner, sheet), words(print_page(as_practitioner, sheet))
        notes = applying_notes(["pregnancy"], ["SP6", "LI4", "GB21"])
        for key in [
            "pregnancy-point-sp6",
            "pregnancy-point-li4",
            "pregnancy-point-gb21",
            "pregnancy-region-lower-leg",  # SP6 is on the lower leg
            "pregnancy-all",
        ]:
            assert CautionRule.objects.get(key=key).client_note in notes
        for note in notes:
            assert words(note) in text
            assert words(note).replace("'", "&#x27;") in page

    def test_a_varicose_vein_clients_sheet_holds_every_applying_note(
        self, as_practitioner, catalogue, practitioner
    ):
        client = a_client(practitioner, "varicose_veins")
        sheet = sheet_of(client, practitioner, "BL40", "KI3", "LR3")
        text = sheet_pdf(as_practitioner, sheet)
        notes = applying_notes(["varicose_veins"], ["BL40", "KI3", "LR3"])
        for key in [
            "varicose-veins-point-bl40",
            "varicose-veins-region-knee",
            "varicose-veins-region-ankle",
            "varicose-veins-region-foot",
            "varicose-veins-all",
        ]:
            assert CautionRule.objects.get(key=key).client_note in notes
        for note in notes:
            assert words(note) in text

    def test_an_items_notes_print_at_that_item(self, as_practitioner, catalogue, practitioner):
        client = a_client(practitioner, "pregnancy")
        sheet = sheet_of(client, practitioner, "SP6", "GB21")
        text = sheet_pdf(as_practitioner, sheet)
        sp6, gb21 = text.index("(SP6 Sanyinjiao)"), text.index("(GB21 Jianjing)")
        sp6_note = words(CautionRule.objects.get(key="pregnancy-point-sp6").client_note)
        gb21_note = words(CautionRule.objects.get(key="pregnancy-point-gb21").client_note)
        assert sp6 < text.index(sp6_note) < gb21 < text.index(gb21_note)

    def test_the_client_wide_notes_print_once_before_the_items(
        self, as_practitioner, catalogue, practitioner
    ):
        client = a_client(practitioner, "anticoagulant")
        text = sheet_pdf(as_practitioner, sheet_of(client, practitioner, "LI4", "PC6"))
        box = text[text.index("Take care") : text.index("Acupressure supports")]
        for key in ["anticoagulant-pressure-firm", "anticoagulant-tool-elbow"]:
            note = words(CautionRule.objects.get(key=key).client_note)
            assert note in box and text.count(note) == 1
        # "Strong is OK" (every client's firm-pressure note) is not told to a client who
        # must not press hard.
        strong = CautionRule.objects.get(key="all-clients-pressure-firm").client_note
        assert words(strong) not in text

    def test_the_edit_page_shows_the_rows_cautions_from_the_start(
        self, as_practitioner, catalogue, practitioner
    ):
        client = a_client(practitioner, "pregnancy")
        session = TreatmentSessionFactory(client=client, practitioner=practitioner)
        thumb = PressureTool.objects.get(slug="thumb")
        for position, code in enumerate(["PC6", "SP6"]):
            TreatedPointFactory(
                session=session, position=position, point=Point.objects.get(code=code), tool=thumb
            )
        sheet = homecare.sheet_from_session(session=session, practitioner=practitioner).sheet
        response = as_practitioner.get(reverse("homecare:sheet-update", args=[sheet.pk]))
        pc6, sp6 = response.context["formset"].forms
        assert pc6.caution is None
        assert sp6.caution.label == "SP6: Pregnancy"
        assert "Caution for this client: Pregnancy." in response.content.decode()

    def test_a_client_without_flags_gets_only_every_clients_notes(
        self, as_practitioner, catalogue, practitioner
    ):
        sheet = sheet_of(a_client(practitioner), practitioner, "LI4")
        text = sheet_pdf(as_practitioner, sheet)
        assert words(CautionRule.objects.get(key="all-clients-region-hand").client_note) in text
        assert "pregnancy, leave" not in text
        assert sheet.acknowledged_cautions == []  # every client's notes are not acknowledged


class TestToolAndPressure:
    def test_an_elbow_is_never_printed(self, as_practitioner, catalogue, practitioner):
        # No shipped self-care point defaults to the elbow now; one edited to it, for the test.
        elbow = PressureTool.objects.get(slug="elbow")
        Point.objects.filter(code="ST36").update(default_tool=elbow)
        plain = sheet_pdf(as_practitioner, sheet_of(a_client(practitioner), practitioner, "ST36"))
        assert "Press with: Knuckle" in plain
        # A blood thinner's rules warn about the knuckle: the next fallback, the thumb.
        thinner = a_client(practitioner, "anticoagulant")
        text = sheet_pdf(as_practitioner, sheet_of(thinner, practitioner, "ST36"))
        assert "Press with: Thumb" in text
        assert "Press with: Elbow" not in plain + text

    def test_a_tool_ruled_out_since_saving_is_replaced_on_the_sheet(
        self, as_practitioner, catalogue, practitioner
    ):
        client = a_client(practitioner)
        eraser = PressureTool.objects.get(slug="pencil-eraser")
        sheet = sheet_of(client, practitioner, "SI3", tool=eraser)
        assert "Press with: Pencil eraser" in sheet_pdf(as_practitioner, sheet)
        client.health_flags = ["diabetes_neuropathy"]
        client.save()
        text = sheet_pdf(as_practitioner, sheet)
        assert "Press with: Pencil eraser" not in text and "Press with: Knuckle" in text
        # SI3's text names the eraser: the sheet says the knuckle replaces it.
        assert "Press with: Knuckle, instead of the pencil eraser" in text

    def test_a_tool_a_rule_rules_out_is_refused_at_its_row(
        self, as_practitioner, api_as_practitioner, catalogue, practitioner
    ):
        client = a_client(practitioner, "diabetes_neuropathy")
        body = new_sheet(client, [item_row(point="SI3", tool="pencil-eraser")])
        message = error_at(api_as_practitioner.post(LIST, body, format="json"), "items")
        assert "pencil eraser is ruled out" in message and "neuropathy" in message
        assert "to be avoided" not in message  # the tool is wrong, not the point
        assert not HomeCareSheet.objects.exists()

    def test_light_pressure_only_prints_where_a_rule_says_so(
        self, as_practitioner, catalogue, practitioner
    ):
        client = a_client(practitioner, "pregnancy")
        text = sheet_pdf(as_practitioner, sheet_of(client, practitioner, "SP6", "LI4"))
        sp6, li4 = text.index("(SP6 Sanyinjiao)"), text.index("(LI4 Hegu)")
        assert "Light pressure only." in text[sp6:li4]  # pregnancy: light on the lower leg
        assert "Light pressure only." not in text[li4:]

    def test_a_client_wide_light_only_rule_prints_at_every_item(
        self, as_practitioner, catalogue, practitioner
    ):
        client = a_client(practitioner, "anticoagulant")
        text = sheet_pdf(as_practitioner, sheet_of(client, practitioner, "LI4", "PC6", "LR3"))
        assert text.count("Light pressure only.") == 3


@pytest.fixture
def clot_client(practitioner):
    """BL57 (on the lower leg) is to be avoided after a blood clot."""
    return a_client(practitioner, "dvt_history")


AVOIDED = "BL57 is to be avoided for this client (Blood clot in the past (DVT or PE))"


def form_data(*codes, **extra):
    data = {
        "general_advice": "",
        "paper": "a4",
        "caution_acknowledged": "on",
        "items-TOTAL_FORMS": str(len(codes)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for n, code in enumerate(codes):
        data.update(
            {
                f"items-{n}-point": code,
                f"items-{n}-side": "both",
                f"items-{n}-tool": "",
                f"items-{n}-duration_seconds": "",
                f"items-{n}-times_per_day": "2",
                f"items-{n}-instructions": "",
                f"items-{n}-ORDER": str(n + 1),
            }
        )
    return data


class TestAPointToAvoidNeverReachesASheet:
    def test_the_form_refuses_it_at_its_row(self, as_practitioner, catalogue, clot_client):
        url = reverse("homecare:sheet-create", args=[clot_client.pk])
        response = as_practitioner.post(url, form_data("LI4", "BL57"))
        assert response.status_code == 200
        forms = {f["point"].value(): f for f in response.context["formset"].forms}
        assert AVOIDED in forms["BL57"].errors["point"][0]
        assert not forms["LI4"].errors
        assert not HomeCareSheet.objects.exists()

    def test_the_edit_form_refuses_it(self, as_practitioner, catalogue, clot_client, practitioner):
        sheet = sheet_of(clot_client, practitioner, "LI4")
        data = form_data("BL57", revision=str(sheet.revision))
        response = as_practitioner.post(reverse("homecare:sheet-update", args=[sheet.pk]), data)
        assert AVOIDED in response.context["formset"].forms[0].errors["point"][0]
        assert [item.point.code for item in sheet.items.all()] == ["LI4"]

    def test_the_api_refuses_it_on_create_and_on_update(
        self, api_as_practitioner, catalogue, clot_client, practitioner
    ):
        body = new_sheet(clot_client, [item_row(), item_row(point="BL57")])
        body["caution_acknowledged"] = True
        assert AVOIDED in error_at(api_as_practitioner.post(LIST, body, format="json"), "items")
        assert not HomeCareSheet.objects.exists()
        sheet = sheet_of(clot_client, practitioner, "LI4")
        response = api_as_practitioner.patch(
            detail(sheet),
            {"items": [item_row(point="BL57")], "caution_acknowledged": True},
            format="json",
        )
        assert AVOIDED in error_at(response, "items")
        assert [item.point.code for item in sheet.items.all()] == ["LI4"]

    def test_a_sheet_from_a_session_leaves_it_out_and_says_so(
        self, as_practitioner, api_as_practitioner, catalogue, clot_client, practitioner
    ):
        session = TreatmentSessionFactory(client=clot_client, practitioner=practitioner)
        thumb = PressureTool.objects.get(slug="thumb")
        for position, code in enumerate(["BL57", "LI4"]):
            TreatedPointFactory(
                session=session, position=position, point=Point.objects.get(code=code), tool=thumb
            )
        response = as_practitioner.post(
            reverse("homecare:sheet-from-session", args=[session.pk]), follow=True
        )
        page = response.content.decode()
        assert (
            "Left out, to be avoided for this client&#x27;s health flags: BL57: Blood clot" in page
        )
        sheet = HomeCareSheet.objects.get()
        assert [item.point.code for item in sheet.items.all()] == ["LI4"]
        created = api_as_practitioner.post(LIST, {"session": session.pk}, format="json").json()
        assert created["left_out"] == ["BL57: Blood clot in the past (DVT or PE)"]
        assert [item["point"] for item in created["items"]] == ["LI4"]

    def test_issuing_refuses_it_when_the_flags_changed_since(
        self, as_practitioner, catalogue, practitioner
    ):
        client = a_client(practitioner)
        sheet = sheet_of(client, practitioner, "BL57")
        client.health_flags = ["dvt_history"]
        client.save()
        response = as_practitioner.post(
            reverse("homecare:sheet-issue", args=[sheet.pk]),
            {"revision": sheet.revision},
            follow=True,
        )
        assert "health flags changed: " + AVOIDED in response.content.decode()
        sheet.refresh_from_db()
        assert not sheet.is_issued

    def test_a_new_version_leaves_it_out(self, catalogue, practitioner):
        client = a_client(practitioner)
        sheet = sheet_of(client, practitioner, "BL57", "LI4")
        homecare.issue_sheet(sheet=sheet, practitioner=practitioner)
        client.health_flags = ["dvt_history"]
        client.save()
        copy, _ = homecare.new_version(sheet=sheet, practitioner=practitioner)
        assert [item.point.code for item in copy.items.all()] == ["LI4"]

    @pytest.mark.parametrize("code", ["SP6", "BL57"])
    def test_a_varicose_vein_clients_lower_leg_points_are_avoided(
        self, api_as_practitioner, catalogue, practitioner, code
    ):
        # The facts say to keep off the lower leg with varicose veins (a region "avoid").
        client = a_client(practitioner, "varicose_veins")
        body = new_sheet(client, [item_row(point=code)], caution_acknowledged=True)
        message = error_at(api_as_practitioner.post(LIST, body, format="json"), "items")
        assert f"{code} is to be avoided for this client (Varicose veins)" in message


LOW_BACK_SIGNS = [
    "low-back-saddle-numbness",
    "low-back-bladder-bowel",
    "low-back-both-legs",
    "low-back-fever",
]


class TestSeeADoctor:
    @pytest.fixture
    def low_back_sheet(self, catalogue, practitioner):
        client = a_client(practitioner)
        session = TreatmentSessionFactory(client=client, practitioner=practitioner)
        set_conditions(session, [Condition.objects.get(slug="low-back-pain")])
        TreatedPointFactory(
            session=session,
            point=Point.objects.get(code="BL23"),
            tool=PressureTool.objects.get(slug="thumb"),
        )
        return homecare.sheet_from_session(session=session, practitioner=practitioner).sheet

    def test_a_low_back_pain_sheet_ends_with_its_signs_by_urgency(
        self, as_practitioner, low_back_sheet
    ):
        text = sheet_pdf(as_practitioner, low_back_sheet)
        signs = {
            key: words(WarningSign.objects.get(key=key).client_wording) for key in LOW_BACK_SIGNS
        }
        see = text.index("See a doctor Call an emergency number now if:")
        today, soon = text.index("See a doctor today if:"), text.index("See a doctor soon if:")
        for key in ["low-back-saddle-numbness", "low-back-bladder-bowel", "low-back-both-legs"]:
            assert see < text.index(signs[key]) < today  # emergency
        assert today < text.index(signs["low-back-fever"]) < soon
        assert text.index(TELL_YOUR_PRACTITIONER) > soon
        headache_only = WarningSign.objects.get(key="headache-thunderclap").client_wording
        assert words(headache_only) not in text

    def test_the_print_page_has_the_same_signs(self, as_practitioner, low_back_sheet):
        page = print_page(as_practitioner, low_back_sheet)
        text = sheet_pdf(as_practitioner, low_back_sheet)
        signs = WarningSign.objects.for_conditions(
            Condition.objects.filter(slug="low-back-pain"), flags=low_back_sheet.client.health_flags
        )
        assert signs.count() > 10
        for sign in signs:
            assert words(sign.client_wording) in text
            assert sign.client_wording.replace("'", "&#x27;") in page
        assert TELL_YOUR_PRACTITIONER in page

    def test_without_a_session_the_points_conditions_decide(
        self, as_practitioner, catalogue, practitioner
    ):
        # SI3 is indicated for neck pain and low back pain, not for headache.
        text = sheet_pdf(as_practitioner, sheet_of(a_client(practitioner), practitioner, "SI3"))
        for key in ["low-back-saddle-numbness", "neck-severe-headache"]:
            assert words(WarningSign.objects.get(key=key).client_wording) in text
        headache_only = WarningSign.objects.get(key="headache-thunderclap").client_wording
        assert words(headache_only) not in text

    def test_the_sheets_own_words_are_easy_to_read(self):
        for text in [
            TELL_YOUR_PRACTITIONER,
            "Light pressure only.",
            "Take care.",
            "See a doctor.",
            "Call an emergency number now if:",
            "See a doctor today if:",
            "See a doctor soon if:",
        ]:
            assert textstat.flesch_kincaid_grade(text) <= 7, text
