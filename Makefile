# The portal's commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# The settings default to production (DEBUG off, a secret key required): the commands below that
# run the portal for development turn development on explicitly. Procfile.dev does the same for
# `make run`'s processes, which also get the dev inbox (SMS_DEV_INBOX).
DEV := DJANGO_DEBUG=true
# The web server's port (`make run PORT=8001`); the SMS links and the printed URLs follow it unless
# PORTAL_SITE_URL is set.
PORT ?= 8000
setup run reset: export PORTAL_SITE_URL ?= http://127.0.0.1:$(PORT)

.DEFAULT_GOAL := help

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## Create the virtualenv and install the pinned dependencies

setup: install ## Install, migrate and load the demo data (embedded SQLite + file-system broker by default)
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv -v0 || echo "compilemessages needs GNU gettext; the committed .mo files are used"
	$(DEV) $(PY) manage.py load_demo

run: setup ## Set up and start web, Celery worker and beat together (PORT=8000); Ctrl-C stops them
	$(VENV)/bin/honcho -f Procfile.dev start --port $(PORT)

reset: ## Delete the SQLite database and the file-system broker in var/, then set up the demo again
	@test -z "$$DATABASE_URL" || { echo "DATABASE_URL is set: drop and re-create that database yourself, then run make setup"; exit 1; }
	rm -rf var/portal.sqlite3 var/broker
	$(MAKE) setup

# -n auto: one test process per CPU core (pytest-xdist); each gets its own test database and, with
# REDIS_URL, its own Redis database (tests/settings.py).
test: install ## Run the whole test suite in parallel (SQLite; set DATABASE_URL and REDIS_URL for PostgreSQL + Redis)
	$(PY) -m pytest -q -n auto

lint: install ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install ## mypy: strict for the new apps and core packages, gradual for the rest
	$(VENV)/bin/mypy

migrations-check: install ## Fail if a model change has no migration
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

messages: install ## Update the kk/ru/en catalogs and compile them
	$(DEV) $(PY) manage.py makemessages -l kk -l ru -l en --ignore=.venv --ignore=var --ignore=tests --ignore=locale_django --no-obsolete
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv

bench: install ## Run the benchmarks (PostgreSQL + Redis from DATABASE_URL / REDIS_URL); prints JSON
	$(PY) bench/run_all.py

ci: ## What CI runs: lint, types, migrations, deploy check, tests on SQLite and on PostgreSQL + Redis
	bash .ci/run

.PHONY: help install setup run reset test lint typecheck migrations-check messages bench ci
