"""The database is set up the same way whatever names it: the default SQLite file or a
sqlite:// URL get WAL, IMMEDIATE transactions, a busy timeout and foreign keys; PostgreSQL
gets health checks, a connect timeout and a statement timeout."""

import json

import pytest
from django.db import connection

from tests.clinic.test_settings_and_commands import run_python

READ_SQLITE_PRAGMAS = """
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    pragmas = {
        name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
    }
print(json.dumps({**pragmas, "mode": connection.settings_dict["OPTIONS"]["transaction_mode"]}))
"""


def test_a_sqlite_url_gets_the_same_pragmas_as_the_default_file(tmp_path):
    result = run_python(
        READ_SQLITE_PRAGMAS, DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path}/clinic.db"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 20000,
        "synchronous": 1,  # NORMAL
        "mode": "IMMEDIATE",
    }
    assert (tmp_path / "clinic.db").exists()


KEEPS_CONNECTION = """
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.core.signals import request_finished, request_started
from django.db import connection
request_started.send(sender=None)
connection.ensure_connection()
first = connection.connection
request_finished.send(sender=None)  # where Django closes connections it does not keep
request_started.send(sender=None)
print(connection.connection is first)
"""


def test_a_sqlite_connection_is_kept_from_one_request_to_the_next(tmp_path):
    # A new connection a request re-ran the PRAGMAs and began with an empty page cache.
    result = run_python(
        KEEPS_CONNECTION, DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path}/clinic.db"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_the_busy_timeout_is_a_setting(tmp_path):
    result = run_python(
        READ_SQLITE_PRAGMAS,
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path}/clinic.db",
        DATABASE_BUSY_TIMEOUT="7",
    )
    assert json.loads(result.stdout)["busy_timeout"] == 7000


def test_a_bad_timeout_fails_loudly():
    result = run_python(
        "import config.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://u:p@localhost:5432/clinic",
        DATABASE_STATEMENT_TIMEOUT="soon",
    )
    assert result.returncode != 0
    assert "DATABASE_STATEMENT_TIMEOUT must be a number of seconds" in result.stderr


def test_postgresql_connections_are_checked_and_time_out():
    result = run_python(
        "import json, config.settings as s; print(json.dumps(s.DATABASES['default']))",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://u:p@localhost:5432/clinic",
    )
    database = json.loads(result.stdout)
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] == 60
    assert database["OPTIONS"] == {
        "connect_timeout": 5,
        "options": "-c statement_timeout=30000 -c random_page_cost=1.1",
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL pass checks this")
def test_the_live_postgresql_connection_has_the_statement_timeout(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_the_planners_random_page_cost_is_a_setting():
    read = "import json, config.settings as s; print(json.dumps(s.DATABASES['default']))"
    postgres = {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u:p@localhost:5432/clinic"}
    result = run_python(read, **postgres, DATABASE_RANDOM_PAGE_COST="4")
    assert json.loads(result.stdout)["OPTIONS"]["options"].endswith("-c random_page_cost=4")
    refused = run_python(read, **postgres, DATABASE_RANDOM_PAGE_COST="cheap")
    assert refused.returncode != 0
    assert "DATABASE_RANDOM_PAGE_COST must be a number, not 'cheap'" in refused.stderr


def test_a_random_page_cost_out_of_range_fails_loudly_and_the_urls_own_is_kept():
    read = "import json, config.settings as s; print(json.dumps(s.DATABASES['default']))"
    url = "postgres://u:p@localhost:5432/clinic"
    refused = run_python(
        read, DJANGO_DEBUG="1", DATABASE_URL=url, DATABASE_RANDOM_PAGE_COST="1e-320"
    )
    assert refused.returncode != 0
    assert "DATABASE_RANDOM_PAGE_COST must be from 0.01 to 10000" in refused.stderr
    kept = run_python(
        read, DJANGO_DEBUG="1", DATABASE_URL=f"{url}?options=-c%20random_page_cost%3D3"
    )
    options = json.loads(kept.stdout)["OPTIONS"]["options"]
    assert options == "-c random_page_cost=3 -c statement_timeout=30000", options
