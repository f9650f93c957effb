"""The database settings, from DATABASE_URL or the default SQLite file.

SQLite is always set up the same way, whether the file is the default or named by a
`sqlite://` URL: WAL, IMMEDIATE transactions and a busy timeout, so concurrent writers queue
instead of failing with "database is locked" (Django turns foreign keys on itself), and its
connections are kept from one request to the next like PostgreSQL's.
PostgreSQL keeps connections for a minute, checks them before each request (so a database
restart costs no request), and gives up on a connection or a statement after a timeout.
Its planner is told that a random read costs little more than a sequential one
(`random_page_cost` 1.1, PostgreSQL's own advice for solid-state storage, where a clinic's
data also fits in memory): at the server's default of 4 it read all of a clinic's 20,000
clients to find the 365 a search matched (6 ms instead of 1.5, issue 16's benchmark).
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SQLITE_ENGINE = "django.db.backends.sqlite3"
POSTGRES_ENGINE = "django.db.backends.postgresql"


def _positive(name, default, unit=""):
    value = os.environ.get(name, "")
    what = f"a number of {unit}" if unit else "a number"
    try:
        number = float(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {what}, not {value!r}") from None
    if not number > 0 or number == float("inf"):
        raise ImproperlyConfigured(f"{name} must be more than zero{' ' + unit if unit else ''}")
    return number


def _seconds(name, default):
    return _positive(name, default, unit="seconds")


def sqlite(name):
    return {
        "ENGINE": SQLITE_ENGINE,
        "NAME": name,
        # Kept across requests like PostgreSQL's: a new connection per request starts with
        # an empty page cache and re-runs the PRAGMAs (about 8 ms a page at 10x data).
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": _seconds("DATABASE_BUSY_TIMEOUT", 20),
        },
    }


def postgres(config):
    connect = _seconds("DATABASE_CONNECT_TIMEOUT", 5)
    statement = _seconds("DATABASE_STATEMENT_TIMEOUT", 30)
    random_page_cost = _positive("DATABASE_RANDOM_PAGE_COST", 1.1)
    if not 0.01 <= random_page_cost <= 10_000:
        raise ImproperlyConfigured("DATABASE_RANDOM_PAGE_COST must be from 0.01 to 10000")
    options = config.setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", max(1, round(connect)))
    given = options.get("options", "")
    options["options"] = (given + f" -c statement_timeout={round(statement * 1000)}").strip()
    if "random_page_cost" not in given:  # one set in DATABASE_URL's options is kept
        options["options"] += f" -c random_page_cost={random_page_cost:.6g}"
    return config


def database_from_environment(default_sqlite_file):
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return sqlite(default_sqlite_file)
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == SQLITE_ENGINE:
        return sqlite(config["NAME"])
    if config["ENGINE"] == POSTGRES_ENGINE:
        return postgres(config)
    return config
