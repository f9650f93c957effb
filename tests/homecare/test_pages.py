import hashlib
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from pypdf import PdfReader

from catalogue.figures import PRINT_FIGURES_DIR
from catalogue.models import Point, PressureTool
from homecare import services as homecare
from homecare.models import HomeCareItem, HomeCareSheet
from homecare.pictures import SheetPicture, marker_mm
from homecare.rows import ItemRow

from ..factories import ClientFactory, TreatedPointFactory, TreatmentSessionFactory


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def pregnant_client(practitioner):
    return ClientFactory(
        clinic=practitioner.clinic,
        first_name="Priya",
        last_name="Shah",
        health_flags=["pregnancy"],
    )


@pytest.fixture
def session(catalogue, pregnant_client, practitioner):
    session = TreatmentSessionFactory(client=pregnant_client, practitioner=practitioner)
    tools = {t.slug: t for t in PressureTool.objects.all()}
    for code, tool in [
        ("LI4", "thumb"),
        ("SI3", "pencil-eraser"),
        ("GB30", "elbow"),
        ("GV26", "fingertip"),
    ]:
        TreatedPointFactory(
            session=session, point=Point.objects.get(code=code), tool=tools[tool], side="right"
        )
    return session


def items_form(**overrides):
    data = {
        "general_advice": "Keep warm.",
        "paper": "a4",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-point": "SI3",
        "items-0-side": "both",
        "items-0-tool": "pencil-eraser",
        "items-0-duration_seconds": "180",
        "items-0-times_per_day": "3",
        "items-0-instructions": "",
        "items-0-ORDER": "2",
        "items-1-point": "LR3",
        "items-1-side": "left",
        "items-1-tool": "",
        "items-1-duration_seconds": "",
        "items-1-times_per_day": "2",
        "items-1-instructions": "Press the top of your foot.",
        "items-1-ORDER": "1",
    }
    data.update(overrides)
    return data


class TestFromSession:
    def test_one_click_makes_a_draft_with_the_self_care_points(self, as_practitioner, session):
        response = as_practitioner.post(
            reverse("homecare:sheet-from-session", args=[session.pk]), follow=True
        )
        sheet = HomeCareSheet.objects.get()
        items = list(sheet.items.select_related("point", "tool"))
        # LI4 carries a pregnancy note (not an "avoid"): kept, for the practitioner to
        # acknowledge; GV26 is not a self-care point.
        assert [i.point.code for i in items] == ["LI4", "SI3", "GB30"]
        assert items[1].tool.slug == "pencil-eraser"
        # Pressed with an elbow in the clinic; at home on a tennis ball, as its text says.
        assert items[2].tool.slug == "tennis-ball"
        assert items[1].instructions == Point.objects.get(code="SI3").self_care_instructions
        html = response.content.decode()
        assert "Cautions for this client on the sheet: LI4: Pregnancy" in html
        assert "Left out" not in html


class TestEdit:
    def test_made_from_the_client_page_ordered_and_defaulted(
        self, as_practitioner, catalogue, client_record
    ):
        url = reverse("homecare:sheet-create", args=[client_record.pk])
        assert as_practitioner.post(url, items_form()).status_code == 302
        sheet = HomeCareSheet.objects.get()
        lr3, si3 = sheet.items.select_related("point", "tool")
        assert (lr3.point.code, si3.point.code) == ("LR3", "SI3")
        assert lr3.instructions == "Press the top of your foot."
        assert lr3.tool == Point.objects.get(code="LR3").default_tool
        assert si3.times_per_day == 3

    @pytest.mark.parametrize(
        "overrides,field",
        [
            ({"items-1-point": "ZZ1"}, "point"),
            ({"items-1-tool": "elbow"}, "tool"),
            ({"items-1-times_per_day": "11"}, "times_per_day"),
            ({"items-1-times_per_day": "0"}, "times_per_day"),
            ({"items-1-duration_seconds": "0"}, "duration_seconds"),
            ({"items-1-duration_seconds": "1801"}, "duration_seconds"),
        ],
    )
    def test_bad_rows_save_nothing(
        self, as_practitioner, catalogue, client_record, overrides, field
    ):
        url = reverse("homecare:sheet-create", args=[client_record.pk])
        response = as_practitioner.post(url, items_form(**overrides))
        assert response.status_code == 200
        assert field in response.context["formset"].forms[1].errors
        assert HomeCareSheet.objects.count() == 0 and HomeCareItem.objects.count() == 0

    def test_a_cautioned_point_needs_the_acknowledgement(
        self, as_practitioner, catalogue, pregnant_client
    ):
        url = reverse("homecare:sheet-create", args=[pregnant_client.pk])
        data = items_form(**{"items-1-point": "SP6"})
        response = as_practitioner.post(url, data)
        assert "caution_acknowledged" in response.context["form"].errors
        assert "Caution for this client: Pregnancy" in response.content.decode()
        assert HomeCareSheet.objects.count() == 0
        assert as_practitioner.post(url, {**data, "caution_acknowledged": "on"}).status_code == 302
        assert HomeCareSheet.objects.get().acknowledged_cautions == ["SP6: Pregnancy"]


@pytest.fixture
def sheet(as_practitioner, catalogue, pregnant_client):
    url = reverse("homecare:sheet-create", args=[pregnant_client.pk])
    as_practitioner.post(url, items_form())
    return HomeCareSheet.objects.get()


def item_marker_mm(point, side):
    """Where the one marker of an item for one side is painted, as the page's CSS has it."""
    picture = SheetPicture.for_item(SimpleNamespace(point=point, side=side))
    ((x, y),) = picture.marker_centres_mm()
    half = marker_mm(point.figure, False) / 2
    assert x > 3 + picture.size_mm[0] / 2  # the client's left foot: the right half
    return f"{x - half:.2f}mm {y - half:.2f}mm"


class TestPrintAndPdf:
    def test_the_print_page_has_everything_a_client_needs(self, as_practitioner, sheet):
        response = as_practitioner.get(reverse("homecare:sheet-print", args=[sheet.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Priya Shah" in html and sheet.client.clinic.name in html
        assert "does not replace it" in html
        # SI3 for both hands, marked on both; LR3 for the left foot only, marked there (the
        # tops of the feet have the client's right foot on the left): the same pictures as
        # the PDF, as item backgrounds.
        assert html.count('class="item figure-hand_back markers-2"') == 1
        assert html.count('class="item figure-foot_top markers-1"') == 1
        assert "Picture: LR3 marked on the left side: tops of the feet." in html
        lr3 = Point.objects.get(code="LR3")
        assert f"background-position: {item_marker_mm(lr3, 'left')}" in html
        marker = 'url("/static/figures/marker.png")'
        assert f".figure-hand_back.markers-2 {{ background-image: {marker}, {marker}, " in html
        assert "Picture: SI3 marked on both sides: backs of the hands and outer wrists." in html
        assert "size: A4" in html
        assert "navbar" not in html

    def test_the_clinic_line_has_its_contact_details_and_no_gaps(self, as_practitioner, sheet):
        clinic = sheet.client.clinic
        clinic.address, clinic.phone, clinic.email = "1 Mill Lane\n\nLeeds", "", "hi@mill.example"
        clinic.save()
        html = as_practitioner.get(reverse("homecare:sheet-print", args=[sheet.pk])).content
        line = f"<b>{clinic.name}</b> · 1 Mill Lane · Leeds · hi@mill.example</p>"
        assert line in html.decode()

    def test_letter_paper_and_large_print(self, as_practitioner, sheet):
        # Saved on the sheet (issue 14), never only in the page's address.
        options = reverse("homecare:sheet-print-options", args=[sheet.pk])
        choice = {"paper": "letter", "large_print": "1", "revision": sheet.revision}
        as_practitioner.post(options, choice)
        url = reverse("homecare:sheet-print", args=[sheet.pk])
        html = as_practitioner.get(url).content.decode()
        assert "size: letter" in html and '<body class="paper-letter large-print">' in html

    def test_the_pdf_holds_the_points_durations_client_and_note(self, as_practitioner, sheet):
        response = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk]))
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert "Priya Shah" in text
        assert "Houxi" in text and "Taichong" in text
        assert "3 min or until relief" in text
        assert "3 times a day" in text
        assert "does not replace it" in text

    def test_the_pdf_pictures_are_the_figures_with_the_point_marked(self, as_practitioner, sheet):
        pdf = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk])).content
        # SI3 is on the backs of the hands, LR3 on the tops of the feet: each JPEG is copied
        # in unchanged.
        for figure in ("hand_back", "foot_top"):
            assert (PRINT_FIGURES_DIR / f"{figure}.jpg").read_bytes() in pdf
        assert (PRINT_FIGURES_DIR / "chest_abdomen.jpg").read_bytes() not in pdf
        # Pages share one resource dictionary: an image is listed once per page it is on.
        pages = PdfReader(io.BytesIO(pdf)).pages
        images = {image.data for page in pages for image in page.images}
        # One view per item, and the marker (one PNG, painted at each place).
        marker = (PRINT_FIGURES_DIR / "marker.png").read_bytes()
        assert len(images) == 3 and any(image.startswith(b"\x89PNG") for image in images)
        assert len(marker) > 0

    def test_the_pdf_follows_the_sheets_paper_and_large_print(self, as_practitioner, sheet):
        url = reverse("homecare:sheet-pdf", args=[sheet.pk])

        def page_size_and_heading_size(pdf):
            reader = PdfReader(io.BytesIO(pdf))
            sizes = []

            def visit(text, cm, tm, font, font_size):
                if "Houxi" in text:
                    sizes.append(round(font_size * tm[0], 1))

            for page in reader.pages:
                page.extract_text(visitor_text=visit)
            return [round(float(n)) for n in reader.pages[0].mediabox[2:]], sizes[0]

        a4, normal_heading = page_size_and_heading_size(as_practitioner.get(url).content)
        HomeCareSheet.objects.filter(pk=sheet.pk).update(paper="letter", large_print=True)
        letter, large_heading = page_size_and_heading_size(as_practitioner.get(url).content)
        assert (a4, letter) == ([595, 842], [612, 792])
        assert large_heading > normal_heading * 1.3

    def test_a_point_without_a_figure_is_printed_without_a_picture(self, as_practitioner, sheet):
        Point.objects.filter(code="SI3").update(figure="", figure_x=None, figure_y=None)
        page = as_practitioner.get(reverse("homecare:sheet-print", args=[sheet.pk]))
        assert page.content.decode().count('class="item no-picture"') == 1
        pdf = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk])).content
        assert "Houxi" in pdf_text(pdf)
        assert (PRINT_FIGURES_DIR / "foot_top.jpg").read_bytes() in pdf
        assert (PRINT_FIGURES_DIR / "hand_back.jpg").read_bytes() not in pdf

    def test_the_pdf_is_set_in_liberation_sans_only(self, as_practitioner, sheet):
        pdf = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk])).content
        fonts = {
            str(font["/BaseFont"]).split("+")[-1]
            for page in PdfReader(io.BytesIO(pdf)).pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert fonts == {"Liberation-Sans", "Liberation-Sans-Bold"}  # no fallback font needed

    def test_issuing_stores_the_exact_pdf_and_reprints_are_identical(
        self, as_practitioner, practitioner, sheet, colleague
    ):
        as_practitioner.post(reverse("homecare:sheet-issue", args=[sheet.pk]))
        sheet.refresh_from_db()
        assert sheet.issued_by == practitioner and sheet.issued_at
        first = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk])).content
        as_practitioner.force_login(colleague.user)  # a colleague reads the same bytes
        second = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk])).content
        assert first == second == bytes(sheet.pdf)
        assert hashlib.sha256(first).hexdigest() == sheet.pdf_sha256
        assert f"From {practitioner.display_name}" in pdf_text(first)
        assert "issued" in pdf_text(first)

    def test_an_issued_sheet_is_not_edited_a_new_version_is_made(self, as_practitioner, sheet):
        as_practitioner.post(reverse("homecare:sheet-issue", args=[sheet.pk]))
        edit = reverse("homecare:sheet-update", args=[sheet.pk])
        response = as_practitioner.get(edit)
        assert response.status_code == 302
        assert response.url == reverse("homecare:sheet-detail", args=[sheet.pk])
        as_practitioner.post(edit, items_form(general_advice="Changed"))
        sheet.refresh_from_db()
        assert sheet.general_advice == "Keep warm."
        as_practitioner.post(reverse("homecare:sheet-new-version", args=[sheet.pk]))
        newer = HomeCareSheet.objects.get(supersedes=sheet)
        assert newer.version == 2 and not newer.is_issued
        assert newer.items.count() == 2

    def test_typed_text_is_escaped_in_page_and_pdf(self, as_practitioner, catalogue, practitioner):
        client = ClientFactory(
            clinic=practitioner.clinic,
            first_name="<script>alert(1)</script>",
            last_name="<b>Bold</b>",
        )
        url = reverse("homecare:sheet-create", args=[client.pk])
        as_practitioner.post(url, items_form(general_advice="<img src=x onerror=alert(2)>"))
        sheet = HomeCareSheet.objects.get()
        html = as_practitioner.get(reverse("homecare:sheet-print", args=[sheet.pk])).content
        assert b"<script>alert(1)</script>" not in html
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert b"<img src=x" not in html
        pdf = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk])).content
        assert "<script>alert(1)</script>" in pdf_text(pdf)  # shown as text, not run

    def test_the_pdf_renderer_fetches_nothing_from_outside(self):
        from homecare.pdf import StaticFilesOnlyFetcher

        fetcher = StaticFilesOnlyFetcher()
        for url in ["http://example.com/x.png", "file:///etc/passwd", "https://a.b/c.css"]:
            with pytest.raises(ValueError, match="Refused"):
                fetcher.fetch(url)

    def test_an_encoded_climb_out_of_the_static_folder_is_refused(self):
        from homecare.pdf import STATIC_ROOT, StaticFilesOnlyFetcher

        fetcher = StaticFilesOnlyFetcher()
        depth = len(STATIC_ROOT.parts)
        climb = "/".join(["%2e%2e"] * depth)
        for url in [f"file://{STATIC_ROOT}/{climb}/etc/passwd", f"file://{STATIC_ROOT}/..%2fetc"]:
            with pytest.raises(ValueError, match="Refused"):
                fetcher.fetch(url)
        marker = fetcher.fetch(f"file://{STATIC_ROOT}/figures/marker%2Epng")
        assert marker.read().startswith(b"\x89PNG")


def test_the_client_page_lists_the_sheets(as_practitioner, sheet):
    response = as_practitioner.get(reverse("clinic:client-detail", args=[sheet.client.pk]))
    assert list(response.context["sheets"]) == [sheet]
    html = response.content.decode()
    assert reverse("homecare:sheet-detail", args=[sheet.pk]) in html


@pytest.mark.parametrize("items", [1, 12])
def test_print_page_query_count_is_constant(
    as_practitioner, catalogue, client_record, practitioner, django_assert_num_queries, items
):
    codes = list(Point.objects.filter(self_care=True).values_list("code", flat=True)[:items])
    sheet = homecare.create_sheet(
        client=client_record,
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code=c)) for c in codes],
    )
    # session, user, practitioner, clinic, the sheet through the clinic (client, clinic
    # and practitioners joined), its items (point, tool joined), the access log entry for
    # the view; for the cautions and signs (issue 12):
    # the age flags (the client has a date of birth), the caution rules for the client's
    # flags (flag, point and tool joined), the conditions the points are indicated for,
    # and their warning signs
    with django_assert_num_queries(11):
        as_practitioner.get(reverse("homecare:sheet-print", args=[sheet.pk]))


def test_a_point_not_for_self_care_is_refused_at_its_row(as_practitioner, catalogue, client_record):
    url = reverse("homecare:sheet-create", args=[client_record.pk])
    response = as_practitioner.post(url, items_form(**{"items-1-point": "GV26"}))
    assert response.context["formset"].forms[1].errors["point"][0] == (
        "GV26 is not for self-care (needs a trained hand): a client cannot press it at home."
    )
    assert HomeCareSheet.objects.count() == 0


def test_a_sheet_from_an_archived_clients_session_is_refused(as_practitioner, session):
    session.client.archive()
    response = as_practitioner.post(
        reverse("homecare:sheet-from-session", args=[session.pk]), follow=True
    )
    assert response.redirect_chain == [(reverse("sessions:session-detail", args=[session.pk]), 302)]
    assert "This client is archived. Restore them to make a sheet." in response.content.decode()
    assert HomeCareSheet.objects.count() == 0


def test_a_caution_that_appears_after_the_draft_blocks_issuing(
    as_practitioner, catalogue, client_record
):
    url = reverse("homecare:sheet-create", args=[client_record.pk])
    as_practitioner.post(url, items_form(**{"items-1-point": "SP6"}))
    sheet = HomeCareSheet.objects.get()
    client_record.health_flags = ["pregnancy"]
    client_record.save()
    response = as_practitioner.post(reverse("homecare:sheet-issue", args=[sheet.pk]), follow=True)
    assert "health flags changed: SP6: Pregnancy" in response.content.decode()
    sheet.refresh_from_db()
    assert not sheet.is_issued


@pytest.mark.parametrize("items", [1, 12])
def test_edit_page_query_count_is_constant(
    as_practitioner, catalogue, client_record, practitioner, django_assert_num_queries, items
):
    codes = list(Point.objects.filter(self_care=True).values_list("code", flat=True)[:items])
    sheet = homecare.create_sheet(
        client=client_record,
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code=c)) for c in codes],
    )
    # session, user, practitioner, clinic, the sheet (client joined), its items (point and
    # tool joined), the self-applicable tools once for all rows' menus; for the rows' cautions
    # (issue 12): the age flags (the client has a
    # date of birth) and the caution rules for the client's flags
    with django_assert_num_queries(9):
        response = as_practitioner.get(reverse("homecare:sheet-update", args=[sheet.pk]))
    assert len(response.context["formset"].forms) == items


def test_editing_a_draft_with_bad_input_saves_nothing(as_practitioner, sheet):
    url = reverse("homecare:sheet-update", args=[sheet.pk])
    response = as_practitioner.post(
        url, items_form(general_advice="Changed", **{"items-0-times_per_day": "50"})
    )
    assert "times_per_day" in response.context["formset"].forms[0].errors
    assert "Changed" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.general_advice == "Keep warm."
