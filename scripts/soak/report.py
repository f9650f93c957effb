"""The results: one dictionary (printed as JSON with --json), and the table."""

import os
import platform
from collections import Counter
from datetime import UTC, datetime


def summarise(args, db, features, run, restarts, traffic_s, total_s, stragglers, check, log_sum):
    t = run.tally
    statuses = Counter()
    for (_, status), count in t.statuses.items():
        statuses[str(status)] += count
    acked = len(t.acked_clients) + len(t.acked_sessions) + len(t.acked_appends)
    found = acked - len(check["missing"]) - check["lost_acknowledged_appends"]
    errors = sum(t.errors.values())
    outside = sum(t.failures_outside.values())
    integrity_ok = not check["integrity_findings"]
    result = {
        "database": db.kind,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "settings": {
            "writers": args.writers,
            "readers": args.readers,
            "seconds": args.seconds,
            "kills": args.kills,
        },
        "features": {**features, "etag_seen_in_run": run.etag_seen.is_set()},
        "traffic_seconds": round(traffic_s, 1),
        "total_seconds": round(total_s, 1),
        "requests": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())),
        "requests_by_route": {
            f"{route} {status}": count
            for (route, status), count in sorted(t.routes.items(), key=str)
        },
        "writes_acknowledged": acked,
        "writes_acknowledged_by_kind": {
            "clients": len(t.acked_clients),
            "sessions": len(t.acked_sessions),
            "appends": len(t.acked_appends),
        },
        "writes_found": found,
        "writes_found_by_kind": {
            "clients": len(t.acked_clients) - check["missing_clients"],
            "sessions": len(t.acked_sessions) - check["missing_sessions"],
            "appends": len(t.acked_appends) - check["lost_acknowledged_appends"],
        },
        # Created rows acknowledged and not in the database; an acknowledged append that was
        # written over is a silent lost update (below), not counted here.
        "acknowledged_missing": len(check["missing"]),
        "acknowledged_missing_samples": check["missing"][:5],
        "retried_creates_after_lost_reply": t.retried_creates,
        "replayed_answers": t.replayed,
        "unknown_writes": len(t.unknown),
        "unknown_writes_found_saved": check["unknown_found"],
        "writes_abandoned": len(t.abandoned),
        "writes_abandoned_samples": t.abandoned[:5],
        "duplicates": sum(n - 1 for n in check["duplicates"].values()),
        "duplicate_samples": dict(list(check["duplicates"].items())[:5]),
        "errors_5xx": errors,
        "errors_by_status": {
            f"{status} {route}": count for (status, route), count in sorted(t.errors.items())
        },
        "error_samples": {
            f"{status} {route}": body.decode(errors="replace")
            for (status, route), body in t.error_samples.items()
        },
        "client_errors_4xx": {
            f"{status} {route}": count for (status, route), count in sorted(t.client_errors.items())
        },
        "client_error_samples": {
            f"{status} {route}": body.decode(errors="replace")
            for (status, route), body in t.client_error_samples.items()
        },
        "stale_writes_refused": t.stale_refused,
        "appends_acknowledged": len(t.acked_appends),
        "appends_seen_after_lost_reply": len(t.seen_appends),
        "edits_given_up": t.edits_given_up,
        "silent_lost_updates": len(check["lost_updates"]),
        "silent_lost_update_samples": check["lost_updates"][:5],
        "connection_failures_during_kills": dict(t.failures_in_kills),
        "connection_failures_outside_kills": outside,
        "connection_failures_outside_samples": t.failure_samples_outside,
        "kills": restarts,
        "integrity_ok": integrity_ok,
        "integrity_checked": check["integrity_checked"],
        "integrity_findings": check["integrity_findings"],
        "server_log": log_sum,
        "threads_still_running": stragglers,
        "rows": check["rows"],
    }
    result["targets_met"] = (
        errors == 0
        and result["acknowledged_missing"] == 0
        and result["duplicates"] == 0
        and result["silent_lost_updates"] == 0
        and integrity_ok
        and len(restarts) == args.kills
    )
    return result


def print_table(r):
    s = r["settings"]
    kinds = r["writes_acknowledged_by_kind"]
    found = r["writes_found_by_kind"]
    f = r["features"]
    kills = r["kills"]
    during = r["connection_failures_during_kills"]
    rows = [
        ("database", r["database"]),
        (
            "run",
            f"{s['writers']} writers, {s['readers']} readers, {s['seconds']} s, "
            f"{s['kills']} kills ({r['traffic_seconds']} s of traffic, {r['total_seconds']} s "
            "with the drain)",
        ),
        ("machine", f"{r['machine']}; {r['date']}"),
        (
            "Idempotency-Key",
            ("honoured" if f["idempotency_key_replayed"] else "NOT honoured")
            + f" ({f['idempotency_probe']})",
        ),
        (
            "ETag / If-Match",
            ("ETag on detail" if f["etag_on_detail"] else "no ETag header")
            + ", "
            + (
                "stale If-Match refused (412)"
                if f["stale_if_match_refused"]
                else "stale If-Match NOT refused"
            )
            + ("" if f["etag_on_detail"] else ": optimistic concurrency not available"),
        ),
        (
            "requests",
            f"{r['requests']} " + ", ".join(f"{k}: {v}" for k, v in r["statuses"].items()),
        ),
        (
            "writes acknowledged",
            f"{r['writes_acknowledged']} ({kinds['clients']} clients, {kinds['sessions']} "
            f"sessions, {kinds['appends']} appends)",
        ),
        (
            "writes found",
            f"{r['writes_found']} ({found['clients']} clients, {found['sessions']} sessions, "
            f"{found['appends']} appends still in the text)",
        ),
        ("acknowledged missing", f"{r['acknowledged_missing']} (created rows not in the database)"),
        (
            "lost replies",
            f"{r['retried_creates_after_lost_reply']} creates resent with the same key "
            f"({r['replayed_answers']} answers replayed); "
            f"{r['unknown_writes']} never answered "
            f"({r['unknown_writes_found_saved']} found saved); "
            f"{r['writes_abandoned']} refused or abandoned",
        ),
        ("duplicates", r["duplicates"]),
        (
            "errors (5xx)",
            r["errors_5xx"]
            if not r["errors_by_status"]
            else f"{r['errors_5xx']}: "
            + "; ".join(f"{k} x{v}" for k, v in r["errors_by_status"].items()),
        ),
        (
            "other 4xx",
            "none"
            if not r["client_errors_4xx"]
            else "; ".join(f"{k} x{v}" for k, v in r["client_errors_4xx"].items()),
        ),
        ("stale writes refused", f"{r['stale_writes_refused']} (412)"),
        (
            "silent lost updates",
            f"{r['silent_lost_updates']} of "
            f"{r['appends_acknowledged'] + r['appends_seen_after_lost_reply']} appends "
            f"({r['edits_given_up']} edits gave up)",
        ),
        (
            "conn. failures in kills",
            ", ".join(f"{k} {v}" for k, v in sorted(during.items())) or "0",
        ),
        ("conn. failures outside", r["connection_failures_outside_kills"]),
        (
            "kills",
            f"{len(kills)}: "
            + ", ".join(
                f"{k['at_s']} s ({k['writes_in_flight']} writes on the wire, {k['down_s']} s down)"
                for k in kills
            ),
        ),
        (
            "integrity",
            ("ok" if r["integrity_ok"] else "FAILED: " + "; ".join(r["integrity_findings"]))
            + " ("
            + "; ".join(r["integrity_checked"])
            + ")",
        ),
        (
            "server log",
            f"{r['server_log']['tracebacks']} tracebacks, "
            f"{r['server_log']['worker_timeouts']} worker timeouts",
        ),
        ("targets", "MET" if r["targets_met"] else "NOT MET"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for key, body in {**r["error_samples"], **r["client_error_samples"]}.items():
        print(f"  sample {key}: {body[:200]}")
    for sample in r["server_log"]["samples"]:
        print(f"  server log: {sample}")
    if r["acknowledged_missing_samples"]:
        print("  missing: " + ", ".join(r["acknowledged_missing_samples"]))
    if r["duplicate_samples"]:
        print("  duplicated: " + ", ".join(f"{m} x{n}" for m, n in r["duplicate_samples"].items()))
    if r["silent_lost_update_samples"]:
        print("  lost appends (client:token): " + ", ".join(r["silent_lost_update_samples"]))
    if r["connection_failures_outside_samples"]:
        print(f"  failures outside kills: {r['connection_failures_outside_samples']}")
    if r["threads_still_running"]:
        print(f"  threads still running at the end: {r['threads_still_running']}")
