"""Every page and API list of the app, timed against a logged-in bare view (issue 16).

Run, on a database filled by `manage.py generate_load_data --scale S`:

    DATABASE_URL=sqlite:////tmp/bench/x.sqlite3 .venv/bin/python scripts/bench_pages/run.py \
        --label "SQLite 10x" --json /tmp/bench/sqlite-10x.json
    .venv/bin/python scripts/bench_pages/run.py --compare /tmp/bench/sqlite-1x.json \
        /tmp/bench/sqlite-10x.json

It serves the app with gunicorn as in the README (3 sync workers, debug off, here on a free
local port and without HTTPS) under scripts.bench_pages.settings, which adds the bare view
(/bench/bare/: login required, a two-byte answer) and the X-Bench-Queries and X-Bench-SQL-ms
headers. It logs in as the generated benchmark practitioner, then:

- one request at a time: `--runs` rounds, each asking every page once, each page followed
  by the bare view, so the bare view is measured through the same minutes as the pages;
- 8 at once: for each page in turn, 8 clients asking it `--concurrent-runs` times each;

and prints, per page, p50 and p99 one at a time, their ratio to the bare view's p50, the
requests per second and p50 with 8 at once, the median query count and SQL time, and at the
end each gunicorn worker's resident memory (from /proc). `--compare A.json B.json` prints
B's SQL time and p50 over A's per page (10x data over 1x: the target is 1.3 at most).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "scripts.bench_pages.settings"
WORKERS = 3
CONCURRENCY = 8
WARM_ROUNDS = 3 * WORKERS


def environment() -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(40))
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE=SETTINGS,
        PYTHONPATH=str(ROOT),
    )
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One logged-in client: the session cookie, a new connection per request (gunicorn's
    sync workers close each one)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {"Host": "localhost", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response, data, elapsed

    def log_in(self, username, password):
        _, page, _ = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        response, _, _ = self.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": "http://localhost/accounts/login/",
            },
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Login as {username} failed ({response.status}).")

    def clone(self):
        other = Browser(self.port)
        other.cookies = dict(self.cookies)
        return other


def pages(username: str) -> list[tuple[str, str]]:
    """(name, path) of every page and API list, with the generated records they show."""
    import django

    django.setup()
    from django.db.models import Count
    from django.utils import timezone

    from clinic.keyset import position
    from clinic.models import NAME_ORDER, Client, Practitioner
    from homecare.models import HomeCareSheet
    from letters.models import ReferralLetter
    from scheduling import feeds
    from scheduling.models import Appointment, TreatmentPlan
    from sessions.models import TreatmentSession

    me = Practitioner.objects.select_related("clinic").get(user__username=username)
    clinic = me.clinic
    heavy = (
        TreatmentSession.objects.filter(practitioner=me)
        .values("client")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["client"]
    )
    ordinary = Client.objects.filter(clinic=clinic, archived_at__isnull=True).exclude(pk=heavy)
    ordinary = ordinary.order_by("pk").values_list("pk", flat=True)[5]
    session = TreatmentSession.objects.filter(client_id=heavy, signed_at__isnull=False).first()
    draft = TreatmentSession.objects.filter(practitioner=me, signed_at__isnull=True).first()
    sheets = HomeCareSheet.objects.defer("pdf").filter(client__clinic=clinic, created_by=me)
    issued = sheets.filter(issued_at__isnull=False).order_by("-pk").first()
    draft_sheet = sheets.filter(issued_at__isnull=True).order_by("-pk").first()
    letter = ReferralLetter.objects.filter(client__clinic=clinic).order_by("-pk").first()
    appointment = (  # a coming one, which can still be changed
        Appointment.objects.filter(practitioner=me, session__isnull=True, status="booked")
        .filter(starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    plan = TreatmentPlan.objects.filter(practitioner=me).first()
    by_name = Client.objects.filter(clinic=clinic).order_by(*NAME_ORDER)
    page_40 = position(by_name[39 * 25 - 1], NAME_ORDER)  # page 39's last
    older = TreatmentSession.objects.filter(client_id=heavy).order_by("-started_at", "-pk")
    older = older.values_list("pk", flat=True)[99]  # the client page's fifth page and on
    amendable = TreatmentSession.objects.filter(practitioner=me, signed_at__isnull=False).first()
    feed_token = feeds.make_feed(practitioner=me)[1]
    today = timezone.localdate()
    week = (
        f"start={today - timedelta(days=today.weekday())}T00:00:00&end="
        + str(today + timedelta(days=7 - today.weekday()))
        + "T00:00:00"
    )
    found = [
        ("dashboard (today's list)", "/"),
        ("clients", "/clients/"),
        ("clients, page 40", f"/clients/?after={page_40}"),
        ("new client form", "/clients/new/"),
        ("client search ?q=smith", "/clients/?q=smith"),
        ("client page, 508 sessions", f"/clients/{heavy}/"),
        ("client page, 508 sessions, older", f"/clients/{heavy}/?before={older}"),
        ("client page, a few sessions", f"/clients/{ordinary}/"),
        ("client edit form", f"/clients/{heavy}/edit/"),
        ("session form (new)", f"/clients/{heavy}/sessions/new/"),
        ("session page", f"/sessions/{session.pk}/"),
        ("draft session edit form", f"/sessions/{draft.pk}/edit/" if draft else None),
        ("amendment form", f"/sessions/{amendable.pk}/amend/"),
        ("point list", "/catalogue/"),
        ("point page LI4", "/catalogue/points/LI4/"),
        ("condition page", "/catalogue/conditions/headache/"),
        ("calendar, week", "/diary/"),
        ("calendar, day", "/diary/?view=day"),
        ("calendar events, week", f"/diary/events/?{week}"),
        ("working hours", "/diary/hours/"),
        ("booking form", "/appointments/new/"),
        ("appointment page", f"/appointments/{appointment.pk}/" if appointment else None),
        ("appointment edit form", f"/appointments/{appointment.pk}/edit/" if appointment else None),
        ("plan form", f"/clients/{ordinary}/plans/new/"),
        ("calendar feed page", "/diary/feed/"),
        ("calendar feed (.ics)", f"/diary/feed/{feed_token}.ics"),
        ("plan page", f"/plans/{plan.pk}/" if plan else None),
        ("access log", "/access-log/"),
        ("team", "/team/"),
        ("team member", f"/team/{me.pk}/"),
        ("lockouts", "/lockouts/"),
        ("account", "/account/"),
        ("home-care sheet, issued", f"/homecare/{issued.pk}/" if issued else None),
        ("home-care sheet, draft", f"/homecare/{draft_sheet.pk}/" if draft_sheet else None),
        ("home-care sheet edit form", f"/homecare/{draft_sheet.pk}/edit/" if draft_sheet else None),
        ("issued sheet PDF (stored)", f"/homecare/{issued.pk}/pdf/" if issued else None),
        ("letter page", f"/letters/{letter.pk}/" if letter else None),
        ("export, a few sessions (JSON)", f"/clients/{ordinary}/export/"),
    ]
    for route in (
        "clients",
        "sessions",
        "homecare-sheets",
        "letters",
        "appointments",
        "plans",
        "points",
        "conditions",
        "tools",
        "health-flags",
        "caution-rules",
        "warning-signs",
        "appointment-types",
        "rooms",
        "working-hours",
        "auth/tokens",
    ):
        found.append((f"API {route}", f"/api/v1/{route}/"))
    found += [
        ("API client search ?search=smith", "/api/v1/clients/?search=smith"),
        ("API client detail", f"/api/v1/clients/{heavy}/"),
        ("API sessions of the 508", f"/api/v1/sessions/?client={heavy}"),
        ("API session detail", f"/api/v1/sessions/{session.pk}/"),
        ("API client cautions", f"/api/v1/clients/{heavy}/cautions/"),
        ("API export, a few sessions", f"/api/v1/clients/{ordinary}/export/"),
        ("API issued sheet PDF", f"/api/v1/homecare-sheets/{issued.pk}/pdf/" if issued else None),
    ]
    return [(name, path) for name, path in found if path]


def start_server(port: int, env: dict):
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def workers_rss(master: int) -> list[float]:
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", status, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            sizes.append(int(rss.group(1)) / 1024)
    return sorted(sizes)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(browser, pages_, runs, concurrent_runs):
    results = {
        name: {"path": path, "ms": [], "queries": [], "sql": [], "status": set()}
        for name, path in [("bare view", "/bench/bare/"), *pages_]
    }

    def ask(client, name):
        response, _, elapsed = client.request("GET", results[name]["path"])
        row = results[name]
        row["ms"].append(elapsed)
        row["status"].add(response.status)
        row["queries"].append(int(response.headers.get("X-Bench-Queries", -1)))
        row["sql"].append(float(response.headers.get("X-Bench-SQL-ms", "nan")))

    # Each page a few times first, so that every worker (whichever accepts a connection)
    # has compiled its templates and filled its caches: a worker's first request of a page
    # is a start-up cost, not the page's steady cost.
    for _ in range(WARM_ROUNDS):
        for name, _ in pages_:
            browser.request("GET", results[name]["path"])
            browser.request("GET", "/bench/bare/")
    for _ in range(runs):
        for name, _ in pages_:
            ask(browser, name)
            ask(browser, "bare view")
    for name in ["bare view", *[n for n, _ in pages_]]:
        clients = [browser.clone() for _ in range(CONCURRENCY)]
        timings = []
        lock = threading.Lock()

        def work(client, name=name, timings=timings, lock=lock):
            for _ in range(concurrent_runs):
                _, _, elapsed = client.request("GET", results[name]["path"])
                with lock:
                    timings.append(elapsed)

        threads = [threading.Thread(target=work, args=(c,)) for c in clients]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        results[name]["concurrent_rps"] = len(timings) / wall
        results[name]["concurrent_p50"] = statistics.median(timings)
    summary = {}
    for name, row in results.items():
        summary[name] = {
            "path": row["path"],
            "status": sorted(row["status"]),
            "p50": statistics.median(row["ms"]),
            "p99": percentile(row["ms"], 0.99),
            "queries": statistics.median(row["queries"]),
            "sql_ms": statistics.median(row["sql"]),
            "rps_8": row["concurrent_rps"],
            "p50_8": row["concurrent_p50"],
        }
    return summary


def table(summary, label, rss):
    bare = summary["bare view"]["p50"]
    lines = [
        f"**{label}**: bare view p50 {bare:.1f} ms; worker RSS "
        + ", ".join(f"{size:.0f}" for size in rss)
        + " MB",
        "",
        "| page | p50 ms | p99 ms | p50 / bare | p99 / bare | req/s at 8 | p50 at 8 | queries "
        "| SQL ms | status |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in summary.items():
        flags = "" if row["p50"] <= 5 * bare and row["p99"] <= 10 * bare else " ✗"
        lines.append(
            f"| {name}{flags} | {row['p50']:.1f} | {row['p99']:.1f} | {row['p50'] / bare:.1f} "
            f"| {row['p99'] / bare:.1f} | {row['rps_8']:.0f} | {row['p50_8']:.0f} "
            f"| {row['queries']:g} | {row['sql_ms']:.1f} "
            f"| {','.join(map(str, row['status']))} |"
        )
    return "\n".join(lines)


def compare(first, second):
    a, b = (json.loads(Path(p).read_text()) for p in (first, second))
    lines = [
        f"{b['label']} over {a['label']}",
        "",
        "| page | SQL ms | SQL ms | SQL ratio | p50 ratio |",
        "|---|---|---|---|---|",
    ]
    for name, row in b["pages"].items():
        if name not in a["pages"]:
            continue
        before = a["pages"][name]
        ratio = row["sql_ms"] / before["sql_ms"] if before["sql_ms"] else float("nan")
        mark = " ✗" if ratio > 1.3 else ""
        lines.append(
            f"| {name}{mark} | {before['sql_ms']:.1f} | {row['sql_ms']:.1f} | {ratio:.2f} "
            f"| {row['p50'] / before['p50']:.2f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="rounds one at a time")
    parser.add_argument(
        "--concurrent-runs", type=int, default=4, help="requests per client with 8 at once"
    )
    parser.add_argument("--username", default="bench")
    parser.add_argument("--password", default="load-data-16")
    parser.add_argument("--label", default=os.environ.get("DATABASE_URL", "SQLite db.sqlite3"))
    parser.add_argument("--json", help="also write the figures here (for --compare)")
    parser.add_argument("--only", help="a regular expression: only the pages it matches")
    parser.add_argument("--compare", nargs=2, metavar=("A.json", "B.json"))
    args = parser.parse_args()
    if args.compare:
        print(compare(*args.compare))
        return
    env = environment()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    found = pages(args.username)
    if args.only:
        found = [(name, path) for name, path in found if re.search(args.only, name)]
    subprocess.run(  # as in the README's recipe: the manifest the templates' {% static %} reads
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    server = start_server(port, env)
    try:
        browser = Browser(port)
        browser.log_in(args.username, args.password)
        summary = measure(browser, found, args.runs, args.concurrent_runs)
        rss = workers_rss(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(table(summary, args.label, rss))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"label": args.label, "rss_mb": rss, "pages": summary}, indent=1)
        )


if __name__ == "__main__":
    main()
