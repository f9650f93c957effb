"""Backups of the whole database, taken while the app runs, and restores that check what
they restored.

SQLite: the online backup API copies a consistent snapshot, the write-ahead log included
(copying the file itself can miss writes still in the WAL). PostgreSQL: pg_dump's custom
format, restored with pg_restore. Beside each backup, `PATH.json` records the row count of
every table, so a restore can say whether it got everything back.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from homecare.models import HomeCareSheet


class BackupError(Exception):
    pass


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def row_counts() -> dict[str, int]:
    tables = sorted(connection.introspection.table_names(include_views=False))
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_environment() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup(path: Path) -> dict[str, int]:
    """Write a backup to `path` and its manifest beside it; returns the row counts."""
    path = Path(path)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            with connection.cursor():  # no half-open transaction on our side
                connection.connection.backup(target)
        finally:
            target.close()
        counts = _sqlite_counts(path)
    elif connection.vendor == "postgresql":
        # The rows are counted in the very snapshot pg_dump copies, exported from a
        # transaction held open until the dump is done.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            counts = row_counts()
            dump = ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}"]
            _run([*dump, f"--file={path}"])
    else:
        raise BackupError(f"No backup for {connection.vendor} databases.")
    manifest_path(path).write_text(json.dumps({"rows": counts}, indent=1, sort_keys=True))
    return counts


def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@dataclass
class RestoreReport:
    integrity: str
    rows: dict[str, int]
    missing_rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # table: (want, got)
    pdfs_checked: int = 0
    pdfs_wrong: list[int] = field(default_factory=list)  # sheet ids

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.missing_rows and not self.pdfs_wrong


def restore(path: Path) -> RestoreReport:
    """Replace the database with the backup at `path` (stop the app first), then check it:
    integrity, every table's rows against the manifest, every issued PDF against its hash."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"No backup at {path}.")
    if connection.vendor == "sqlite":
        source = sqlite3.connect(path)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged: its integrity check failed.")
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        connection.close()
        database = connection.settings_dict["NAME"]
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={database}",
                str(path),
            ]
        )
    else:
        raise BackupError(f"No restore for {connection.vendor} databases.")
    return check_restored(path)


def _integrity() -> str:
    if connection.vendor != "sqlite":
        return "ok"  # pg_restore stops on the first error, and it has not
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        return cursor.fetchone()[0]


def check_restored(path: Path) -> RestoreReport:
    rows = row_counts()
    report = RestoreReport(integrity=_integrity(), rows=rows)
    manifest = manifest_path(Path(path))
    if manifest.exists():
        wanted = json.loads(manifest.read_text())["rows"]
        report.missing_rows = {
            table: (count, rows.get(table, 0))
            for table, count in wanted.items()
            if rows.get(table, 0) < count
        }
    for sheet in HomeCareSheet.objects.filter(issued_at__isnull=False).only("pdf", "pdf_sha256"):
        report.pdfs_checked += 1
        if hashlib.sha256(bytes(sheet.pdf or b"")).hexdigest() != sheet.pdf_sha256:
            report.pdfs_wrong.append(sheet.pk)
    return report
