"""Render something twice: with config/crispy_field.py writing the fields it can, and with
every field left to crispy-bootstrap5's own template."""

import re

import config.crispy_field

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def both_ways(monkeypatch, render) -> tuple[str, str]:
    written = render()
    with monkeypatch.context() as switched:
        switched.setattr(config.crispy_field, "_plain", lambda context: False)
        drawn = render()
    return written, drawn


def page_both_ways(monkeypatch, fetch) -> tuple[str, str]:
    """`fetch()` gives a response; each page's own CSRF token is left out."""

    def page():
        response = fetch()
        assert response.status_code == 200
        return CSRF.sub("", response.content.decode())

    return both_ways(monkeypatch, page)
