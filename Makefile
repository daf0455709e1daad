# Set-up and everyday commands. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format check messages install install-dev browser-deps

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## run: install, migrate the SQLite database, load the demo campaign and serve it on 127.0.0.1:8000
run: install
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PY) manage.py seed_demo
	DJANGO_DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

## test: install the test tools and run the whole suite on two cores (PostgreSQL when
## DATABASE_URL is set: scripts/pg_connections.sh gives two workers their connection slots;
## the concurrency tests share one worker, --dist loadgroup)
test: install-dev
	$(PY) -m pytest -n 2 --dist loadgroup

## lint: ruff, migrations and the deploy checks
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## messages: refresh and compile the translations (needs gettext)
messages: install
	DJANGO_DEBUG=true $(PY) manage.py makemessages -l zh_Hans --ignore .venv --ignore static/vendor --ignore scripts --ignore tests --no-obsolete
	DJANGO_DEBUG=true $(PY) manage.py compilemessages -l zh_Hans --ignore .venv

## browser-deps: Debian's Chromium and a CJK font for the browser tests (root)
browser-deps:
	apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei
