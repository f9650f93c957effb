"""Soak test: concurrent writers and readers against gunicorn, with the server SIGKILLed
and restarted mid-write, then a check of the database for every acknowledged write.

Run (from the repository root):
    .venv/bin/python scripts/soak.py            # SQLite: 8 writers, 4 readers, 30 s, 5 kills
    .venv/bin/python scripts/soak.py --postgres postgres://postgres@127.0.0.1:54332/
    .venv/bin/python scripts/soak.py --seconds 10 --kills 2 --json

The code is the package next to this file, scripts/soak/ (its __main__.py says what the run
does); this file keeps the command above. Python imports the package, not this file, as
`soak`: a package directory comes before a module of the same name.
"""

import runpy

if __name__ == "__main__":
    runpy.run_module("soak", run_name="__main__")
