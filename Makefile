# Two commands for a fresh machine: `make run` and `make test` (see README).
# Debian's python3 where there is one: it is built with profile-guided optimisation and
# renders the PDF sheets about a quarter faster than a plain source build (see
# docs/benchmarks.md). Any Python 3.11 or newer works: make PYTHON=python3.12 test
PYTHON ?= $(shell [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test lint browser pdf-libs ci clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's python3-venv"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	  else echo "$(PYTHON) cannot make a virtualenv: sudo apt-get install python3-venv"; exit 1; fi; \
	  $(PYTHON) -m venv $(VENV); }
	$(VENV)/bin/pip install --quiet --upgrade pip

$(RUN_STAMP): requirements.txt | $(PY)
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $(RUN_STAMP) $@

.demo-password: | $(PY)
	$(PY) -c 'import secrets; print(secrets.token_urlsafe(9))' > $@

run: $(RUN_STAMP) pdf-libs .demo-password
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_catalogue
	$(DEV_ENV) $(PY) manage.py seed_demo --password "$$(cat .demo-password)"
	$(DEV_ENV) $(PY) manage.py send_due_reminders
	@echo "Serving http://127.0.0.1:8000, with the reminders' worker (Ctrl+C stops both)"
	@$(DEV_ENV) $(PY) manage.py db_worker --no-reload --interval 5 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Pango and the sheet's fonts (Liberation Sans, DejaVu Sans as fallback) for WeasyPrint's
# PDFs, by Debian package name, when missing.
pdf-libs:
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || ! fc-list 2>/dev/null | grep -qi dejavu \
	    || ! fc-list 2>/dev/null | grep -qi 'Liberation Sans'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Pango and the Liberation and DejaVu fonts for PDF rendering"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core >/dev/null; \
	  else \
	    echo "PDFs need Pango and fonts: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core"; \
	  fi; \
	fi

# Debian's chromium for the browser tests, by package name; never a browser download.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing and cannot be installed here: browser tests will be skipped (sudo apt-get install chromium to run them)."; \
	  fi; \
	fi

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(DEV_ENV) $(PY) manage.py check
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

# Schemathesis runs in CI's PostgreSQL pass only (.ci/run). The tests run in one process
# per core (pytest-xdist); TEST_WORKERS=0 runs them in this one.
TEST_WORKERS ?= auto
test: $(DEV_STAMP) pdf-libs browser lint
	$(DEV_ENV) $(VENV)/bin/pytest -n $(TEST_WORKERS) -m "not schemathesis"

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles test-artifacts
