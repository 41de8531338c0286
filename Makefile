# The two commands of the README: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Python 3.12 (Django 6.1): the one named by .python-version through pyenv, else the first 3.12 found.
PYTHON ?= $(shell for p in python3 python3.12 $(HOME)/.pyenv/versions/3.12.1/bin/python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
export PORT ?= 8000

.PHONY: run test test-rapide test-navigateur test-processus fiabilite install setup chromium lint lock bench echelle clean

# The lock installed by uv (from PyPI, into the venv): it downloads and unpacks in parallel, where pip took most of a
# fresh `make run` (135 of 204 s, issue #17). The venv keeps its pip for whoever adds a tool by hand. Bytecode is
# compiled at install, as pip does: uv does not by default, and where PYTHONDONTWRITEBYTECODE is set (this machine)
# every process would compile Django and the rest again, 14 s of each start.
$(VENV)/.installe: requirements.lock
	@test -n "$(PYTHON)" || { echo "Python 3.12 est requis (pyenv install 3.12.1 ; .python-version le sélectionne)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q uv
	$(VENV)/bin/uv pip install -q --compile-bytecode --python $(VENV)/bin/python -r requirements.lock
	touch $@

install: $(VENV)/.installe

# Debian's Chromium for the browser tests; installed when missing and we are root.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else echo "Chromium manque : sudo apt-get install chromium" >&2; exit 1; fi; }

# The demo runs without DEBUG: WhiteNoise serves the hashed, compressed copies collected here (offline). Compressing
# the DSFR takes about a minute, so it is done again only when a static file or a package changes.
STATIC_MANIFEST := $(or $(CHORUS_VAR_DIR),var)/static/staticfiles.json
$(STATIC_MANIFEST): $(VENV)/.installe $(shell find static -type f)
	DEMO=1 $(PY) manage.py collectstatic --noinput -v0 --ignore "*.md"
	touch $@

setup: install $(STATIC_MANIFEST)
	DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DEBUG=1 $(PY) manage.py charger_articles
	DEBUG=1 $(PY) manage.py charger_matelas

run: setup
	bin/run

# The suite runs in TEST_PROCESSUS pytest-xdist workers (docs/architecture.md « Tests »; `TEST_PROCESSUS=0` for one
# process). Each worker has its own test database (pytest-django's _gw0 suffix), var/ (chorus/settings/test.py) and
# Redis key prefix. The demo journeys (tests/e2e/demo: one `make run` server, one database, one broker, journeys
# that follow one another on its data) run after, in one process: `--dist loadgroup` did not keep them on one worker
# (pytest 9 with pytest-xdist 3.8: the xdist_group marks are set, the node ids never get their group), and two
# workers then started two demos on the same database and Redis db, each one's worker sending the other's mails.
# PYTEST_ARGS comes last in the parallel pass (it may narrow the run or override any of this); PYTEST_ARGS_DEMO in the
# demo pass.
TEST_PROCESSUS ?= 2
# each run's log ends with its 30 slowest phases (setup, call, teardown): where the CI's minutes went (issue #17)
XDIST = -n $(TEST_PROCESSUS) --dist loadgroup --durations=30
# not DEMO: make exports a variable it got from the environment, and bin/run would read DEMO=tests/e2e/demo
PARCOURS_DEMO = tests/e2e/demo

test: install chromium
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=chorus.settings.test $(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/pytest $(XDIST) --ignore=$(PARCOURS_DEMO) $(PYTEST_ARGS)
	$(VENV)/bin/pytest -p no:xdist --durations=30 $(PARCOURS_DEMO) $(PYTEST_ARGS_DEMO)

# Parts of `make test`, by mark: the unit and integration tests (no browser, no real worker process, no schemathesis),
# the browser tests (Playwright, the demo journeys), and the tests that start real worker processes (the reliability
# suite with them).
test-rapide: install
	$(VENV)/bin/pytest $(XDIST) -m "not e2e and not worker and not schemathesis" --ignore=$(PARCOURS_DEMO) $(PYTEST_ARGS)

test-navigateur: install chromium
	$(VENV)/bin/pytest $(XDIST) -m e2e --ignore=$(PARCOURS_DEMO) $(PYTEST_ARGS)
	$(VENV)/bin/pytest -p no:xdist --durations=30 $(PARCOURS_DEMO) $(PYTEST_ARGS_DEMO)

test-processus: install
	$(VENV)/bin/pytest $(XDIST) -m "worker or schemathesis" --ignore=$(PARCOURS_DEMO) $(PYTEST_ARGS)

# The reliability suite alone (tests/fiabilite/, also part of `make test`): faults injected into real worker and
# beat processes, on PostgreSQL + Redis as in production (FIABILITE_DATABASE_URL / FIABILITE_BROKER_URL to point
# elsewhere; empty values, `make fiabilite FIABILITE_DATABASE_URL= FIABILITE_BROKER_URL=`, for the embedded SQLite and
# file broker).
FIABILITE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
FIABILITE_BROKER_URL ?= redis://127.0.0.1:6379/15
fiabilite: install
	$(if $(FIABILITE_DATABASE_URL),DATABASE_URL="$(FIABILITE_DATABASE_URL)") \
	  $(if $(FIABILITE_BROKER_URL),CELERY_BROKER_URL="$(FIABILITE_BROKER_URL)") \
	  $(VENV)/bin/pytest -m fiabilite tests/fiabilite -rA $(PYTEST_ARGS)

# What .pre-commit-config.yaml runs, on the whole tree: ruff's rules, ruff's format (enforced), and deptry (no
# dependency imported but undeclared, none declared but unused; pyproject's [tool.deptry] lists the exceptions).
lint: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/deptry .

# Regenerate the lock file from requirements.in (exact pins).
lock:
	rm -rf /tmp/chorus-lock && $(PYTHON) -m venv /tmp/chorus-lock && /tmp/chorus-lock/bin/pip install -q -r requirements.in \
	  && /tmp/chorus-lock/bin/pip freeze > requirements.lock

bench: setup
	DEBUG=1 $(PY) bench/run.py

# National scale (issue #16, docs/benchmarks.md): ECHELLE_N invoices loaded once into their own PostgreSQL database
# (about 4 minutes a million), then every list, search, dashboard, API search and export timed as the demo users.
# `make echelle ECHELLE_N=10000000` for 10 M; a database already loaded with that N is reused (only measured).
ECHELLE_N ?= 1000000
ECHELLE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/echelle
echelle: install
	ECHELLE_N=$(ECHELLE_N) ECHELLE_DATABASE_URL=$(ECHELLE_DATABASE_URL) $(PY) bench/echelle.py

clean:
	rm -rf $(VENV) var
