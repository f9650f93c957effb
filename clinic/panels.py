"""Sections that higher layers add to the clinic's own pages (the client page and the
dashboard) without the clinic app importing them. Each app registers its panels in its
AppConfig.ready(); a page renders them in order."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

CLIENT_PAGE = "client-page"
DASHBOARD = "dashboard"


@dataclass(frozen=True)
class Panel:
    template_name: str
    # Called with the page's objects (practitioner=; on the client page also client= and
    # query=, the page's GET parameters, for a panel that pages); returns the names the
    # template uses. A panel on the client page shows a bounded number of rows (the latest
    # ones), however long the client's history.
    context: Callable[..., dict]
    order: int = 0


_panels: dict[str, list[Panel]] = defaultdict(list)


def register(page: str, panel: Panel) -> None:
    if panel not in _panels[page]:
        _panels[page].append(panel)
        _panels[page].sort(key=lambda p: p.order)


def panels_context(page: str, **objects) -> dict:
    """The panels' template names (`panels`) and everything their templates use."""
    context = {"panels": [panel.template_name for panel in _panels[page]]}
    for panel in _panels[page]:
        context.update(panel.context(**objects))
    return context
