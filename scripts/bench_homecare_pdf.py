"""Median time to render a six-point home-care sheet to PDF on this machine.

Run: .venv/bin/python scripts/bench_homecare_pdf.py [--runs 30]
Runs as production does (debug off) on a throwaway SQLite database, and prints the
figures recorded in docs/benchmarks.md. The timed call is the one the app makes:
render_sheet_pdf, so the database reads and the template are included.
"""

import argparse
import os
import platform
import secrets
import statistics
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-homecare-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    call_command("seed_demo", password="bench-password-1", stdout=open(os.devnull, "w"))

    from catalogue.models import Point
    from clinic.models import Client, Practitioner
    from sessions import homecare
    from sessions.pdf import render_sheet_pdf

    practitioner = Practitioner.objects.get(user__username="ana")
    client = Client.objects.filter(clinic=practitioner.clinic, health_flags=[]).first()
    codes = ["LI4", "SI3", "GB20", "LR3", "KI1", "PC6"]
    sheet = homecare.create_sheet(
        client=client,
        practitioner=practitioner,
        rows=[{"point": Point.objects.get(code=code)} for code in codes],
        caution_acknowledged=True,
    )
    start = time.perf_counter()
    render_sheet_pdf(sheet)  # the first render in a process also loads fonts and templates
    first = (time.perf_counter() - start) * 1000
    interpreter = f"Python {platform.python_version()} ({sys.executable})"
    if "--enable-optimizations" in (sysconfig.get_config_var("CONFIG_ARGS") or ""):
        interpreter += ", PGO build"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {interpreter}")
    print(f"first render in the process: {first:.1f} ms")
    for label, options in [("six-point sheet", {}), ("large print", {"large_print": True})]:
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            pdf = render_sheet_pdf(sheet, **options)
            timings.append((time.perf_counter() - start) * 1000)
        print(
            f"{label}, {len(pdf)} bytes, {args.runs} runs: median "
            f"{statistics.median(timings):.1f} ms, min {min(timings):.1f} ms, "
            f"max {max(timings):.1f} ms"
        )


if __name__ == "__main__":
    main()
