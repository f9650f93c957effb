"""Median time to render a six-point home-care sheet to PDF on this machine.

Run: .venv/bin/python scripts/bench_homecare_pdf.py [--runs 40]
Runs as production does (debug off) on a throwaway SQLite database, and prints the
figures recorded in docs/benchmarks.md. The timed call is the one the app makes:
render_sheet_pdf, so the database reads and the template are included.

The issue that set the target (100 ms) calibrated it against "a plain six-item A4 page with
small SVG figures", about 50 ms there. That page is rendered too, by WeasyPrint alone, in
turn with the sheets, so each run also says how fast the machine was while it ran: on a
shared virtual machine the same code measures 25% slower or faster from one minute to the
next.
"""

import argparse
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SMALL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60" viewBox="0 0 60 60">'
    '<rect x="5" y="5" width="50" height="50" fill="none" stroke="#000"/>'
    '<circle cx="30" cy="30" r="8" fill="#c0392b" stroke="#000"/></svg>'
)
PLAIN_PAGE = "<!doctype html><title>Plain</title><h1>Six items</h1>" + "".join(
    f"<div><h2>Item {n}</h2>{SMALL_SVG}<p>A short paragraph of plain text for item {n}, "
    "long enough to wrap onto a second line of the page at the normal size.</p></div>"
    for n in range(1, 7)
)


def summary(label, timings, size=None):
    size = f", {size} bytes" if size else ""
    return (
        f"{label}{size}: median {statistics.median(timings):.1f} ms, "
        f"min {min(timings):.1f} ms, max {max(timings):.1f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-homecare-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from weasyprint import HTML

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    call_command("seed_demo", password="bench-password-1", stdout=open(os.devnull, "w"))

    from catalogue.models import Point
    from clinic.models import Client, Practitioner
    from homecare import services as homecare
    from homecare.models import HomeCareSheet
    from homecare.pdf import printable, render_sheet_pdf
    from homecare.rows import ItemRow

    practitioner = Practitioner.objects.get(user__username="ana")
    client = Client.objects.filter(clinic=practitioner.clinic, health_flags=[]).first()
    codes = ["LI4", "SI3", "GB20", "LR3", "KI1", "PC6"]
    sheet = homecare.create_sheet(
        client=client,
        practitioner=practitioner,
        items=[ItemRow(point=Point.objects.get(code=code)) for code in codes],
        caution_acknowledged=True,
    )

    def load():  # as a request does: the sheet and what it prints, then the render
        return printable(HomeCareSheet.objects.filter(pk=sheet.pk)).get()

    start = time.perf_counter()
    render_sheet_pdf(load())  # the first render in a process also loads fonts and templates
    first = (time.perf_counter() - start) * 1000
    HTML(string=PLAIN_PAGE).write_pdf()

    renders = {
        "plain six-item page (WeasyPrint alone)": lambda: HTML(string=PLAIN_PAGE).write_pdf(),
        "six-point sheet": lambda: render_sheet_pdf(load()),
        "large print": lambda: render_sheet_pdf(load(), large_print=True),
    }
    timings = {label: [] for label in renders}
    sizes = {}
    for _ in range(args.runs):
        for label, render in renders.items():
            start = time.perf_counter()
            sizes[label] = len(render())
            timings[label].append((time.perf_counter() - start) * 1000)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()} ({sys.executable})"
    )
    print(f"first sheet in the process: {first:.1f} ms; then {args.runs} runs of each, in turn:")
    for label in renders:
        print("  " + summary(label, timings[label], sizes[label]))
    plain = statistics.median(timings["plain six-item page (WeasyPrint alone)"])
    sheet_median = statistics.median(timings["six-point sheet"])
    print(
        f"sheet / plain page: {sheet_median / plain:.2f} "
        f"(at the issue's 50 ms plain page: {50 * sheet_median / plain:.0f} ms)"
    )


if __name__ == "__main__":
    main()
