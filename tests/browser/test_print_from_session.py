"""Issue 14: from the session page to the print dialog in three clicks, on the paper and in
the print size chosen, which the served PDF has too."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from catalogue.models import Point, PressureTool
from homecare.models import HomeCareSheet

from ..factories import TreatedPointFactory, TreatmentSessionFactory

pytestmark = pytest.mark.browser

# The browser's print dialog, counted instead of opened (headless chromium has none).
COUNT_PRINTS = "window.print = () => { window.printed = (window.printed || 0) + 1; };"


def heading_sizes(pdf, name):
    sizes = []

    def visit(text, cm, tm, font, font_size):
        if name in text:
            sizes.append(round(font_size * tm[0], 1))

    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return [round(float(n)) for n in reader.pages[0].mediabox[2:]], sizes


def test_letter_large_print_issued_and_printed_in_three_clicks(
    page, live_server, login, practitioner, client_record, catalogue
):
    session = TreatmentSessionFactory(client=client_record, practitioner=practitioner)
    thumb = PressureTool.objects.get(slug="thumb")
    for position, code in enumerate(["LI4", "PC6"]):
        TreatedPointFactory(
            session=session, position=position, point=Point.objects.get(code=code), tool=thumb
        )
    login("ana")
    page.add_init_script(COUNT_PRINTS)
    page.goto(f"{live_server.url}/sessions/{session.pk}/")

    clicks = 0
    form = page.get_by_test_id("print-from-session")
    for target in (
        form.get_by_label("US Letter"),
        form.get_by_label("Large print"),
        form.get_by_role("button", name="Issue and print sheet"),
    ):
        target.click()
        clicks += 1

    sheet_page = re.compile(r"/homecare/(\d+)/print/\?print=1$")
    page.wait_for_url(sheet_page)
    page.wait_for_function("window.printed === 1")
    assert clicks == 3
    expect(page.get_by_test_id("print-fixed")).to_have_text(
        "US Letter, large print, fixed when the sheet was issued"
    )
    sheet = HomeCareSheet.objects.get()
    assert sheet_page.search(page.url).group(1) == str(sheet.pk)
    assert sheet.is_issued and (sheet.paper, sheet.large_print) == ("letter", True)

    served = page.request.get(f"{live_server.url}/homecare/{sheet.pk}/pdf/")
    assert served.headers["content-type"] == "application/pdf"
    size, headings = heading_sizes(served.body(), "Hegu")
    assert size == [612, 792]
    # Large print sets the item headings at 1.15 x 15 pt (normal: 1.15 x 10.5 pt).
    assert headings and headings[0] > 16
