"""The soak test (scripts/soak.py runs it; __main__.py says what it does), by topic:

common.py       paths, the one address, the timings
database.py     the fresh SQLite or PostgreSQL database, and its integrity check
server.py       production settings, manage.py, gunicorn started, SIGKILLed and restarted
http_client.py  one keep-alive connection to 127.0.0.1, and the replies it gets
tally.py        what the run saw: statuses, errors, acknowledged writes
traffic.py      the writer and reader threads
probes.py       set-up calls: tokens, shared clients, Idempotency-Key and If-Match probes
kills.py        the run's timeline: threads started, kills at spread-out moments, the drain
checks.py       the database read directly after the run, and the server log
report.py       the results, as a table and as JSON
"""
