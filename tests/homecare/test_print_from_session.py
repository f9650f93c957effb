"""Printing a sheet (issue 14): the paper and print size are saved on the sheet wherever they
are chosen, the preview and the issued PDF follow them, and the session page issues and
prints the session's sheet in one press."""

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import resolve, reverse
from pypdf import PdfReader

from catalogue.models import Point, PressureTool
from homecare import services
from homecare.models import HomeCareSheet

from ..factories import ClientFactory, TreatedPointFactory, TreatmentSessionFactory

LETTER_LARGE = {"paper": "letter", "large_print": "1"}


def session_with(client, practitioner, *codes):
    session = TreatmentSessionFactory(client=client, practitioner=practitioner)
    thumb = PressureTool.objects.get(slug="thumb")
    for position, code in enumerate(codes):
        TreatedPointFactory(
            session=session,
            position=position,
            point=Point.objects.get(code=code),
            tool=thumb,
            side="both",
        )
    return session


@pytest.fixture
def session(catalogue, client_record, practitioner):
    return session_with(client_record, practitioner, "LI4", "PC6", "LR3")


def press(http, session, **form):
    return http.post(reverse("homecare:sheet-print-from-session", args=[session.pk]), form)


def printed_sheet(response):
    """The sheet whose print page (print dialog opened) a press was sent to."""
    assert response.status_code == 302
    path, _, query = response["Location"].partition("?")
    match = resolve(path)
    assert (match.view_name, query) == ("homecare:sheet-print", "print=1")
    return HomeCareSheet.objects.get(pk=match.kwargs["pk"])


def page_size_and_heading(pdf, name="Hegu"):
    """The first page's size in points, and the printed size of the first item's heading."""
    reader = PdfReader(io.BytesIO(pdf))
    sizes = []

    def visit(text, cm, tm, font, font_size):
        if name in text:
            sizes.append(round(font_size * tm[0], 1))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return [round(float(n)) for n in reader.pages[0].mediabox[2:]], sizes[0]


def messages_after(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


class TestIssueAndPrint:
    def test_one_press_issues_the_sessions_sheet_on_letter_in_large_print(
        self, as_practitioner, practitioner, session
    ):
        sheet = printed_sheet(press(as_practitioner, session, **LETTER_LARGE))
        assert sheet.is_issued and sheet.issued_by == practitioner
        assert (sheet.session, sheet.paper, sheet.large_print) == (session, "letter", True)
        assert [item.point.code for item in sheet.items.all()] == ["LI4", "PC6", "LR3"]
        served = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk])).content
        assert served == bytes(sheet.pdf)
        size, heading = page_size_and_heading(served)
        assert size == [612, 792]
        a4_sheet = printed_sheet(
            press(as_practitioner, session_with(session.client, practitioner, "LI4"), paper="a4")
        )
        a4_size, normal_heading = page_size_and_heading(bytes(a4_sheet.pdf))
        assert a4_size == [595, 842] and not a4_sheet.large_print
        assert heading > normal_heading * 1.3

    def test_the_print_page_it_opens_asks_for_the_print_dialog(self, as_practitioner, session):
        response = press(as_practitioner, session, **LETTER_LARGE)
        page = as_practitioner.get(response["Location"]).content.decode()
        assert '<body class="paper-letter large-print" data-autoprint>' in page
        assert "size: letter" in page
        assert "US Letter, large print, fixed when the sheet was issued" in page
        plain = as_practitioner.get(response["Location"].partition("?")[0]).content.decode()
        assert "data-autoprint" not in plain

    def test_a_second_press_prints_the_issued_sheet_as_issued(self, as_practitioner, session):
        first = printed_sheet(press(as_practitioner, session, **LETTER_LARGE))
        again = press(as_practitioner, session, paper="a4")
        assert printed_sheet(again) == first
        assert HomeCareSheet.objects.count() == 1
        first.refresh_from_db()
        assert (first.paper, first.large_print) == ("letter", True)
        assert messages_after(again) == [
            "This session's sheet was issued on US Letter, large print: it prints as issued."
        ]

    def test_the_practitioners_draft_from_the_session_is_issued_not_another(
        self, as_practitioner, practitioner, session
    ):
        draft = services.sheet_from_session(session=session, practitioner=practitioner).sheet
        response = press(as_practitioner, session, revision=str(draft.revision), **LETTER_LARGE)
        assert printed_sheet(response) == draft
        draft.refresh_from_db()
        assert draft.is_issued and (draft.paper, draft.large_print) == ("letter", True)
        assert HomeCareSheet.objects.count() == 1

    def test_a_draft_changed_since_the_page_was_shown_is_not_issued(
        self, as_practitioner, practitioner, session
    ):
        draft = services.sheet_from_session(session=session, practitioner=practitioner).sheet
        shown = draft.revision
        services.update_sheet(
            sheet=draft, practitioner=practitioner, expected_revision=None, general_advice="New"
        )
        response = press(as_practitioner, session, revision=str(shown), **LETTER_LARGE)
        assert response["Location"] == reverse("sessions:session-detail", args=[session.pk])
        assert "Nothing was issued" in messages_after(response)[0]
        draft.refresh_from_db()
        assert not draft.is_issued and draft.paper == "a4"

    def test_cautions_to_acknowledge_refuse_it_and_nothing_is_made(
        self, as_practitioner, catalogue, practitioner
    ):
        pregnant = ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])
        session = session_with(pregnant, practitioner, "LI4", "PC6")
        response = press(as_practitioner, session, **LETTER_LARGE)
        assert response["Location"] == reverse("sessions:session-detail", args=[session.pk])
        assert messages_after(response) == [
            "Cautions for this client to acknowledge: LI4: Pregnancy. Nothing was issued: "
            "open Home-care sheet to review the draft first."
        ]
        assert not HomeCareSheet.objects.exists()

    def test_a_point_to_avoid_refuses_it_and_nothing_is_made(
        self, as_practitioner, catalogue, practitioner
    ):
        clot = ClientFactory(clinic=practitioner.clinic, health_flags=["dvt_history"])
        response = press(
            as_practitioner, session_with(clot, practitioner, "BL57", "LI4"), paper="a4"
        )
        (message,) = messages_after(response)
        assert message.startswith("Left out, to be avoided for this client's health flags: BL57")
        assert message.endswith(
            "Nothing was issued: open Home-care sheet to review the draft first."
        )
        assert not HomeCareSheet.objects.exists()

    def test_a_draft_with_unacknowledged_cautions_is_not_issued(
        self, as_practitioner, catalogue, practitioner
    ):
        pregnant = ClientFactory(clinic=practitioner.clinic, health_flags=["pregnancy"])
        session = session_with(pregnant, practitioner, "LI4")
        draft = services.sheet_from_session(session=session, practitioner=practitioner).sheet
        response = press(as_practitioner, session, paper="letter")
        assert "Tick the acknowledgement" in messages_after(response)[0]
        draft.refresh_from_db()
        assert not draft.is_issued and draft.paper == "a4"

    @pytest.mark.parametrize("paper", ["", "a3", "A4"])
    def test_a_paper_we_do_not_print_on_changes_nothing(self, as_practitioner, session, paper):
        response = press(as_practitioner, session, paper=paper)
        assert response["Location"] == reverse("sessions:session-detail", args=[session.pk])
        assert messages_after(response) == [
            "Choose the paper (A4 or US Letter) and the print size. Nothing was changed."
        ]
        assert not HomeCareSheet.objects.exists()

    def test_the_session_page_offers_the_button_with_the_drafts_choice(
        self, as_practitioner, practitioner, session
    ):
        url = reverse("sessions:session-detail", args=[session.pk])
        page = as_practitioner.get(url).content.decode()
        action = reverse("homecare:sheet-print-from-session", args=[session.pk])
        assert f'action="{action}"' in page and "Issue and print sheet" in page
        assert 'value="a4" id="session-print-paper-a4" checked' in page
        draft = services.sheet_from_session(session=session, practitioner=practitioner).sheet
        services.update_sheet(
            sheet=draft, practitioner=practitioner, expected_revision=None, paper="letter"
        )
        draft.refresh_from_db()
        page = as_practitioner.get(url).content.decode()
        assert 'value="letter" id="session-print-paper-letter" checked' in page
        assert f'name="revision" value="{draft.revision}"' in page


@pytest.fixture
def draft(practitioner, session):
    return services.sheet_from_session(session=session, practitioner=practitioner).sheet


def save_choice(http, sheet, revision=None, **form):
    url = reverse("homecare:sheet-print-options", args=[sheet.pk])
    return http.post(url, {"revision": str(revision or sheet.revision), **form})


class TestTheChoiceIsSavedOnTheSheet:
    def test_the_print_toolbar_saves_it_and_the_preview_and_issued_pdf_follow(
        self, as_practitioner, practitioner, draft
    ):
        response = save_choice(as_practitioner, draft, next="print", **LETTER_LARGE)
        assert response["Location"] == reverse("homecare:sheet-print", args=[draft.pk])
        draft.refresh_from_db()
        assert (draft.paper, draft.large_print) == ("letter", True)
        page = as_practitioner.get(response["Location"]).content.decode()
        assert '<body class="paper-letter large-print">' in page and "size: letter" in page
        assert "Paper and print size saved on the sheet." in page
        preview = as_practitioner.get(reverse("homecare:sheet-pdf", args=[draft.pk])).content
        assert page_size_and_heading(preview)[0] == [612, 792]
        as_practitioner.post(
            reverse("homecare:sheet-issue", args=[draft.pk]), {"revision": draft.revision}
        )
        draft.refresh_from_db()
        assert draft.is_issued
        assert page_size_and_heading(bytes(draft.pdf))[0] == [612, 792]

    def test_the_sheet_page_saves_it_too(self, as_practitioner, draft):
        page = as_practitioner.get(reverse("homecare:sheet-detail", args=[draft.pk]))
        action = reverse("homecare:sheet-print-options", args=[draft.pk])
        assert f'action="{action}"' in page.content.decode()
        response = save_choice(as_practitioner, draft, paper="letter")
        assert response["Location"] == reverse("homecare:sheet-detail", args=[draft.pk])
        draft.refresh_from_db()
        assert (draft.paper, draft.large_print) == ("letter", False)

    def test_a_query_string_does_not_change_the_print(self, as_practitioner, draft):
        url = reverse("homecare:sheet-print", args=[draft.pk])
        page = as_practitioner.get(url, {"paper": "letter", "large": "1"}).content.decode()
        assert '<body class="paper-a4">' in page and "size: A4" in page

    def test_a_choice_over_a_newer_revision_is_refused(self, as_practitioner, practitioner, draft):
        shown = draft.revision
        services.update_sheet(
            sheet=draft, practitioner=practitioner, expected_revision=None, general_advice="New"
        )
        response = save_choice(as_practitioner, draft, revision=shown, **LETTER_LARGE)
        assert "Nothing was changed" in messages_after(response)[0]
        draft.refresh_from_db()
        assert (draft.paper, draft.large_print) == ("a4", False)

    def test_an_issued_sheets_paper_is_fixed(self, as_practitioner, practitioner, draft):
        issued = services.issue_sheet(sheet=draft, practitioner=practitioner)
        stored = bytes(issued.pdf)
        response = save_choice(as_practitioner, issued, **LETTER_LARGE)
        assert messages_after(response) == [
            "This sheet has been issued and cannot change. Make a new version instead."
        ]
        issued.refresh_from_db()
        assert (issued.paper, issued.large_print, bytes(issued.pdf)) == ("a4", False, stored)
        page = as_practitioner.get(reverse("homecare:sheet-print", args=[issued.pk]))
        assert 'data-testid="print-choice"' not in page.content.decode()

    def test_a_bad_paper_changes_nothing(self, as_practitioner, draft):
        response = save_choice(as_practitioner, draft, paper="tabloid", large_print="1")
        assert messages_after(response) == [
            "Choose the paper (A4 or US Letter) and the print size. Nothing was changed."
        ]
        draft.refresh_from_db()
        assert (draft.paper, draft.large_print) == ("a4", False)
