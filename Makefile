# The project's vocabulary: make run, make dev, make test, make lint.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# A per-machine secret made once; settings read it when DJANGO_SECRET_KEY is unset.
SECRET_KEY_FILE := var/secret-key

.PHONY: run dev test lint bench bench-import profile loadtest api-fuzz backup install install-test database clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(SECRET_KEY_FILE):
	mkdir -p var
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Migrate, import ESCO when ESCO_DIR names its download (before the content, which links
# to ESCO's concepts), and load the catalogue; each is safe to repeat.
database: install $(SECRET_KEY_FILE)
	$(BIN)/python manage.py migrate --no-input
	if [ -n "$(ESCO_DIR)" ]; then $(BIN)/python manage.py import_esco "$(ESCO_DIR)"; fi
	$(BIN)/python manage.py load_catalogue

run: database
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	PORT=$(PORT) JOBSITE_PRINT_NEXT_STEPS=1 $(BIN)/gunicorn --config gunicorn.conf.py jobsite.wsgi

dev: database
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-test $(SECRET_KEY_FILE)
	$(BIN)/pytest $(PYTEST_ARGS)

# Load a demo catalogue into its own database and measure the pages with wrk against a
# bare Django view served the same way, cold and warm, with a loopback Redis; then crawl
# every role and skill page (see docs/benchmarks.md). BENCH_ROLES, BENCH_SECONDS,
# BENCH_CRAWL_PAGES.
bench: install-test $(SECRET_KEY_FILE)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)
	$(BIN)/python bench/run.py

# Hold 64 connections for 60 s against the role, list, salary and search pages on loopback,
# served as `make run` serves them; fails on any error. LOADTEST_SECONDS, LOADTEST_CONNECTIONS.
loadtest: database
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python bench/loadtest.py

# Schemathesis against the API on a live server on loopback, every check, a bounded number
# of examples (bench/api_fuzz.py). API_FUZZ_EXAMPLES, API_FUZZ_SECONDS. Served as `make run`
# serves it, collected static files included: without them every HTML 404 page is a 500.
api-fuzz: install-test database
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python bench/api_fuzz.py

# Time the full ESCO import and a repeat, with peak memory, in a database of its own, and
# count the SQL of the pages with ESCO's largest shapes. ESCO_DIR (default: ../shared/data/esco-v1.1.1).
bench-import: install $(SECRET_KEY_FILE)
	$(BIN)/python bench/import_esco.py

# cProfile one page against the bench database: make profile URL=/roles/backend-developer/
profile: install-test $(SECRET_KEY_FILE)
	$(BIN)/python bench/profile_page.py $(URL)

# A timestamped pg_dump of the whole database (embedded or DATABASE_URL) in backups/, which
# `make clean` leaves alone. Copy it off the machine. Restoring is deliberately not a target.
backup: install $(SECRET_KEY_FILE)
	$(BIN)/python manage.py backup_database "backups/jobsite-$$(date +%Y%m%d-%H%M%S).dump"

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var
