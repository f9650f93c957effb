"""The app's settings, plus what only the page benchmark needs: a logged-in bare view at
/bench/bare/ (urls.py), and the query count and SQL time of each request in its response
headers (middleware.py)."""

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE

ROOT_URLCONF = "scripts.bench_pages.urls"
# Outermost, so the session, login and second-factor queries are counted too.
MIDDLEWARE = ["scripts.bench_pages.middleware.QueryTiming", *MIDDLEWARE]
