"""After the run, with the server stopped: the database read directly for every
acknowledged write, and the server log for tracebacks."""

from collections import defaultdict
from pathlib import Path


def check_database(db, run, excluded_markers):
    tally = run.tally
    client_rows = db.query("SELECT id, last_name FROM clinic_client WHERE last_name LIKE 'soak-%'")
    session_rows = db.query(
        "SELECT s.id, s.notes, (SELECT count(*) FROM treatment_sessions_treatedpoint p "
        "WHERE p.session_id = s.id) FROM treatment_sessions_treatmentsession s "
        "WHERE s.notes LIKE 'soak-%'"
    )
    clients_by_marker = defaultdict(set)
    for row_id, marker in client_rows:
        clients_by_marker[marker].add(row_id)
    sessions_by_marker = defaultdict(set)
    points_of = {}
    for row_id, marker, points in session_rows:
        sessions_by_marker[marker].add(row_id)
        points_of[row_id] = points

    missing = []
    for marker, row_id, _ in tally.acked_clients:
        if row_id not in clients_by_marker.get(marker, ()):
            missing.append(f"client {marker} (id {row_id})")
    wrong_points = []
    for marker, row_id, sent, _ in tally.acked_sessions:
        if row_id not in sessions_by_marker.get(marker, ()):
            missing.append(f"session {marker} (id {row_id})")
        elif points_of[row_id] != sent:
            wrong_points.append(f"session {marker}: {points_of[row_id]} points, {sent} sent")
    # Every soak session, acknowledged or not, must have its points: none has zero.
    pointless = [row_id for row_id, points in points_of.items() if points == 0]

    duplicates = {
        marker: len(ids)
        for by_marker in (clients_by_marker, sessions_by_marker)
        for marker, ids in by_marker.items()
        if len(ids) > 1 and marker not in excluded_markers
    }
    unknown_found = sum(
        1
        for kind, marker in tally.unknown
        if (kind == "client" and marker in clients_by_marker)
        or (kind == "session" and marker in sessions_by_marker)
    )

    final_text = {}
    for client_id in run.shared:
        ((text,),) = db.query("SELECT health_history FROM clinic_client WHERE id = ?", (client_id,))
        final_text[client_id] = set(text.split(";"))
    expected_appends = tally.acked_appends | tally.seen_appends
    lost = sorted(
        f"{client_id}:{token}"
        for client_id, token in expected_appends
        if token not in final_text[client_id]
    )
    lost_acked = sum(1 for c, t in tally.acked_appends if t not in final_text[c])
    checked, findings = db.integrity()
    checked.append("every soak session has its points (and as many as were sent)")
    if pointless:
        findings.append(f"{len(pointless)} soak sessions without points")
    findings.extend(wrong_points[:5])
    return {
        "missing": missing,
        "missing_clients": sum(1 for m in missing if m.startswith("client ")),
        "missing_sessions": sum(1 for m in missing if m.startswith("session ")),
        "duplicates": duplicates,
        "unknown_found": unknown_found,
        "lost_updates": lost,
        "lost_acknowledged_appends": lost_acked,
        "integrity_checked": checked,
        "integrity_findings": findings,
        "rows": {"soak_clients": len(client_rows), "soak_sessions": len(session_rows)},
    }


def server_log_summary(path):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return {"tracebacks": 0, "worker_timeouts": 0, "internal_server_errors": 0, "samples": []}
    lines = text.splitlines()
    samples = []
    for index, line in enumerate(lines):
        if line.startswith("Traceback") and len(samples) < 3:
            # The exception line closes the traceback.
            end = next(
                (j for j in range(index + 1, len(lines)) if not lines[j].startswith(" ")),
                index,
            )
            samples.append(lines[end][:300])
    return {
        "tracebacks": text.count("Traceback (most recent call last)"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "internal_server_errors": text.count("Internal Server Error"),
        "samples": samples,
    }
