# Civic Bridge: `make run` to try it, `make test` to prove it. `make help` lists every target.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The address links in e-mail and the calendar feed point to: every process make starts gets it.
SITE_URL ?= http://$(HOST):$(PORT)
# The first Python 3.12 or newer on PATH.
PYTHON := $(shell for p in python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: help run test test-fast lint fmt typecheck check vendor migrate demo worker scheduler clean chromium benchmark release

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/bin/activate:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Civic Bridge needs Python 3.12 or newer, and none was found on PATH."; \
		echo "Install it (for example 'apt-get install python3.12' or 'pyenv install 3.12'), then run make again."; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/activate
	$(PY) -m pip install --quiet .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet '.[dev]'
	@touch $@

migrate: $(VENV)/.installed ## Create or update the database
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo workspace (once; later runs keep the data)
	SITE_URL='$(SITE_URL)' $(PY) manage.py load_demo

run: demo ## Install, migrate, load the demo and serve on http://127.0.0.1:8000 (or HOST=, PORT=) with a task worker and the reminder scheduler
	@echo "Starting the task worker, the reminder scheduler and the web server on $(SITE_URL)/ (Ctrl+C stops them)"
	@SITE_URL='$(SITE_URL)' DEBUG=$${DEBUG:-true} $(PY) manage.py db_worker --no-reload & worker=$$!; \
	SITE_URL='$(SITE_URL)' $(PY) manage.py send_reminders --loop 60 & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	SITE_URL='$(SITE_URL)' DEBUG=$${DEBUG:-true} $(PY) manage.py runserver --noreload $(HOST):$(PORT)

worker: $(VENV)/.installed ## Run the task worker alone
	SITE_URL='$(SITE_URL)' $(PY) manage.py db_worker

scheduler: $(VENV)/.installed ## Run the reminder scheduler alone (a pass every minute)
	SITE_URL='$(SITE_URL)' $(PY) manage.py send_reminders --loop 60

# Chromium drives the browser tests; Pango and fonts let WeasyPrint make PDFs.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

chromium: ## Install Debian's Chromium, Pango and fonts for the tests, where we are root
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Missing $$missing and not root: install them for the browser and PDF tests."; fi; fi

# One pytest worker per core (pytest-xdist); each worker has its own test database.
test: $(VENV)/.installed-dev chromium ## Install what tests need and run the whole suite
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

test-fast: $(VENV)/.installed-dev ## The suite without the browser and PostgreSQL-only tests
	$(PY) -m pytest -n auto -m "not browser and not postgresql" $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev ## Check style with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.installed-dev ## Format and fix what ruff can
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: $(VENV)/.installed-dev ## Check types with mypy
	$(VENV)/bin/mypy civicbridge

check: $(VENV)/.installed-dev ## Django's system checks and the missing-migration check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# A database of its own on the PostgreSQL at BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432).
benchmark: $(VENV)/.installed ## Build 10,000 collaborations and time the pages under gunicorn
	$(PY) scripts/benchmark.py --scale 10000

release: ## Check the changelog names this version, dated, then tag it (civicbridge/__init__.py holds the version)
	$(PY) scripts/release.py

vendor: ## Refresh static/vendor from the pinned npm packages (needs Node.js)
	bash scripts/vendor.sh

clean: ## Remove the virtual environment and local data under var/
	rm -rf $(VENV) var
