"""The soak's fresh database: SQLite in the temporary folder or a `soak_<random>` database
on a local PostgreSQL server; created, read directly after the run, checked for integrity,
dropped."""

import secrets
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class SqliteDatabase:
    kind = "sqlite"

    def __init__(self, workdir):
        self.path = Path(workdir) / "soak.db"
        self.url = f"sqlite:///{self.path}"  # an absolute path: sqlite:////tmp/...
        self.label = str(self.path)

    def create(self):
        pass

    def drop(self):
        pass  # the file goes with the temporary folder

    def query(self, sql, params=()):
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def integrity(self):
        """PRAGMA integrity_check and foreign_key_check."""
        findings = []
        result = [row[0] for row in self.query("PRAGMA integrity_check")]
        if result != ["ok"]:
            findings.append("integrity_check: " + "; ".join(result[:5]))
        violations = self.query("PRAGMA foreign_key_check")
        if violations:
            findings.append(f"foreign_key_check: {len(violations)} rows, e.g. {violations[:3]}")
        checked = ["PRAGMA integrity_check", "PRAGMA foreign_key_check (every table)"]
        return checked, findings


class PostgresDatabase:
    kind = "postgresql"

    def __init__(self, server_url):
        import psycopg  # noqa: F401  (fail early if missing)

        parts = urlsplit(server_url)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("--postgres must point at a server on this machine (127.0.0.1)")
        self.name = "soak_" + secrets.token_hex(4)
        admin_db = parts.path.lstrip("/") or "postgres"
        self.admin_url = urlunsplit(parts._replace(path="/" + admin_db))
        self.url = urlunsplit(parts._replace(path="/" + self.name))
        self.label = f"{self.name} on {parts.hostname}:{parts.port or 5432}"
        self.created = False

    def _connect(self, url, **kwargs):
        import psycopg

        return psycopg.connect(url, connect_timeout=10, **kwargs)

    def create(self):
        with self._connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self):
        if not self.created:
            return
        with self._connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.created = False

    def query(self, sql, params=()):
        with self._connect(self.url) as conn:
            return conn.execute(sql.replace("?", "%s"), params or None).fetchall()

    def integrity(self):
        """amcheck on every index (and heap, PostgreSQL 14+) when the extension is there;
        every foreign key resolved by an anti-join, constraint by constraint."""
        checked, findings = [], []
        with self._connect(self.url, autocommit=True) as conn:
            try:
                conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
                have_amcheck = True
            except Exception as error:  # not installed on this server
                checked.append(f"amcheck not available ({str(error).strip()[:80]})")
                have_amcheck = False
            if have_amcheck:
                indexes = conn.execute(
                    "SELECT c.oid::regclass::text FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_am am ON am.oid = c.relam "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE am.amname = 'btree' AND n.nspname = 'public' AND i.indisvalid"
                ).fetchall()
                for (index,) in indexes:
                    try:
                        conn.execute("SELECT bt_index_check(%s::regclass, true)", (index,))
                    except Exception as error:
                        findings.append(f"bt_index_check({index}): {str(error).strip()[:200]}")
                checked.append(f"amcheck bt_index_check(heapallindexed) on {len(indexes)} indexes")
                has_heapam = conn.execute(
                    "SELECT 1 FROM pg_proc WHERE proname = 'verify_heapam'"
                ).fetchone()
                if has_heapam:
                    tables = conn.execute(
                        "SELECT c.oid::regclass::text FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE c.relkind = 'r' AND n.nspname = 'public'"
                    ).fetchall()
                    for (table,) in tables:
                        rows = conn.execute(
                            "SELECT blkno, offnum, msg FROM verify_heapam(%s::regclass) LIMIT 3",
                            (table,),
                        ).fetchall()
                        if rows:
                            findings.append(f"verify_heapam({table}): {rows}")
                    checked.append(f"amcheck verify_heapam on {len(tables)} tables")
            fks = conn.execute(
                "SELECT con.conname, con.conrelid::regclass::text, con.confrelid::regclass::text,"
                " array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)"
                "   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n"
                "   ORDER BY k.o),"
                " array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)"
                "   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n"
                "   ORDER BY k.o)"
                " FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace"
                " WHERE con.contype = 'f' AND n.nspname = 'public'"
            ).fetchall()
            for name, child, parent, columns, parent_columns in fks:
                present = " AND ".join(f'c."{c}" IS NOT NULL' for c in columns)
                match = " AND ".join(
                    f'p."{p}" = c."{c}"' for c, p in zip(columns, parent_columns, strict=True)
                )
                (orphans,) = conn.execute(
                    f"SELECT count(*) FROM {child} c WHERE {present} "
                    f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match})"
                ).fetchone()
                if orphans:
                    findings.append(f"foreign key {name}: {orphans} rows of {child} unresolved")
            checked.append(f"every foreign key resolves ({len(fks)} constraints)")
        return checked, findings
