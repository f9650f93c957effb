"""What every answer tells the browser: a Content-Security-Policy with no inline script or
style, the features the app never uses denied, and (for a logged-in user, the API and PDFs)
nothing kept in a cache. Browser-side, tests/browser/test_csp.py watches for violations."""

import re
from pathlib import Path

import pytest
import simple_history
from django.conf import settings
from django.urls import reverse

from catalogue.models import Point
from homecare import services as homecare
from homecare.rows import ItemRow

POLICY = (
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
DENIED = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


def directives(response):
    policy = response["Content-Security-Policy"]
    return dict((part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";")))


def assert_protected(response, *, stored=False):
    assert response.status_code == 200
    policy = directives(response)
    for directive in POLICY:
        name, value = directive.split(" ", 1)
        assert policy[name] == value, (name, policy)
    for name in ("script-src", "style-src"):
        assert policy[name].startswith("'self'"), policy
    assert "unsafe" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"].split(", ")
    assert set(DENIED) <= set(permissions), permissions
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    if not stored:
        cache = response["Cache-Control"]
        assert "no-store" in cache and "private" in cache, cache


@pytest.fixture
def sheet(catalogue, client_record, practitioner):
    points = [Point.objects.get(code=code) for code in ("LI4", "LR3")]
    return homecare.create_sheet(
        client=client_record, practitioner=practitioner, items=[ItemRow(point=p) for p in points]
    )


def test_a_page_an_api_answer_and_a_pdf_carry_every_header(
    as_practitioner, api_as_practitioner, client_record, sheet
):
    assert_protected(as_practitioner.get(reverse("clinic:client-detail", args=[client_record.pk])))
    assert_protected(api_as_practitioner.get(f"/api/v1/clients/{client_record.pk}/"))
    pdf = as_practitioner.get(reverse("homecare:sheet-pdf", args=[sheet.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert_protected(pdf)


def test_the_login_page_has_the_policy_too(client):
    assert_protected(client.get(reverse("login")), stored=True)


def test_a_page_with_nothing_inline_gets_no_nonce(as_practitioner):
    response = as_practitioner.get(reverse("clinic:dashboard"))
    policy = directives(response)
    assert policy["script-src"] == policy["style-src"] == "'self'"


def test_the_print_page_style_carries_the_policys_nonce(as_practitioner, sheet):
    response = as_practitioner.get(reverse("homecare:sheet-print", args=[sheet.pk]))
    html = response.content.decode()
    nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]+)'", directives(response)["style-src"])
    assert nonce, directives(response)
    assert html.count(f'<style nonce="{nonce[1]}">') == html.count("<style") == 1
    # Each picture's place is a rule for its item, not a style attribute.
    assert '<section id="item-1" class="item figure-hand_back markers-2">' in html
    assert re.search(r"#item-1 \{ min-height: [\d.]+mm; background-position: ", html)
    assert " style=" not in html and "onclick" not in html
    # ... and a fresh nonce for each answer.
    again = as_practitioner.get(reverse("homecare:sheet-print", args=[sheet.pk]))
    assert directives(again)["style-src"] != directives(response)["style-src"]


def test_the_api_docs_init_script_carries_the_policys_nonce(as_practitioner):
    response = as_practitioner.get(reverse("api:docs"))
    html = response.content.decode()
    script_src = directives(response)["script-src"]
    nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]+)'", script_src)
    assert nonce, script_src
    inline = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", html)
    assert inline == [f' nonce="{nonce[1]}"'], inline
    assert "SwaggerUIBundle(" in html and "<style" not in html
    assert_protected(response)  # drf-spectacular's own view would send COOP unsafe-none


def test_the_pdf_is_rendered_without_the_pages_nonce(as_practitioner, sheet):
    # WeasyPrint reads no policy: the PDF keeps its style attributes and needs no nonce.
    from homecare.pdf import printable, render_sheet_html

    html = render_sheet_html(printable(type(sheet).objects.all()).get(pk=sheet.pk), for_pdf=True)
    assert "<style" not in html and "nonce" not in html
    assert html.count(' style="') == 2


TEMPLATE_DIRS = [Path(settings.BASE_DIR, "templates")] + [
    path for path in Path(settings.BASE_DIR).glob("*/templates") if ".venv" not in path.parts
]
INLINE = {
    "a style attribute": re.compile(r"\sstyle\s*="),
    "a <style> without a nonce": re.compile(r"<style(?![^>]*\snonce=)[\s>]"),
    "an inline <script> without a nonce": re.compile(r"<script(?![^>]*\s(?:src|nonce)=)[^>]*>"),
    "an inline event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


@pytest.mark.parametrize(
    "template",
    [path for folder in TEMPLATE_DIRS for path in sorted(folder.rglob("*.html"))],
    ids=lambda path: str(path.relative_to(settings.BASE_DIR)),
)
def test_no_template_has_inline_script_or_style(template):
    """The policy refuses these: move them to static/js/ and static/css/ (a listener
    instead of onclick=, a class instead of style=)."""
    text = template.read_text(encoding="utf-8")
    if template.match("homecare/print/homecare_sheet.html"):
        # Its style attribute is the PDF's only ({% if for_pdf %}): WeasyPrint reads no
        # policy. The page's own answer is checked above, and in the browser.
        text = text.replace('{% if picture and for_pdf %} style="{{ picture.style }}"', "")
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template}: {', '.join(found)}"


def test_the_history_list_template_is_the_packages_less_its_style_attribute():
    """templates/simple_history/object_history_list.html is a copy: on an upgrade of
    django-simple-history this fails until the copy is made again."""
    name = "simple_history/object_history_list.html"
    package = Path(simple_history.__file__).parent / "templates" / name
    ours = Path(settings.BASE_DIR, "templates", name).read_text(encoding="utf-8")
    expected = package.read_text(encoding="utf-8").replace(
        '<p class="paginator" style="border-top: 0">', '<p class="paginator">'
    )
    assert ours.split("\n", 4)[4] == expected
