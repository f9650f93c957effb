import gc
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured(settings.MISSING_SECRET_KEY)

# Every view module is loaded now, not on a worker's first request, and what loading made
# (it lives as long as the worker) is kept out of the collector's sight: a full collection
# walked all of it, 100-240 ms a pause, and now walks what requests made, 10-60 ms
# (measured with a gc callback in the page benchmark, docs/benchmarks.md).
get_resolver().url_patterns  # noqa: B018 (loads the URLconf and, through it, the views)
gc.freeze()
