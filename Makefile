# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE ?= tollservice.settings.local

.PHONY: run test lint format messages bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is required (PYTHON=python3.11 make ...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

# Web server on http://127.0.0.1:8000, a Celery worker and beat, on SQLite under var/ and, without
# REDIS_URL, a filesystem broker under var/broker. honcho stops all three on Ctrl-C.
run: $(VENV)/.installed-run
	mkdir -p var/broker/queue var/broker/processed var/broker/control var/mail
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/honcho -f Procfile.local start

# Lint, format check and the whole suite. CI runs it on SQLite and on PostgreSQL + Redis (.ci/run).
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=tollservice.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the catalogues after changing user-facing strings, translate the new entries in
# locale/zh_Hans/LC_MESSAGES/django.po, then run it again to compile the .mo files.
MESSAGE_IGNORES := --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=static --ignore=node_modules
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --no-obsolete --no-location $(MESSAGE_IGNORES)
	$(BIN)/python manage.py compilemessages -l zh_Hans -l en $(MESSAGE_IGNORES)

# Every list, report and download on generated stations (cached in var/bench/), against issue 9's
# targets; exits 1 when one is missed. BENCH_ROWS=200000 BENCH_STAFF=200000 for the issue's sizes.
BENCH_ROWS ?= 20000
BENCH_STAFF ?= 20000
bench: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=tollservice.settings.test $(BIN)/python bench/ledger_sums.py
	$(BIN)/python -m bench --rows $(BENCH_ROWS) --staff $(BENCH_STAFF) $(BENCH_ARGS)

clean:
	rm -rf var/db.sqlite3 var/broker var/mail var/celerybeat-schedule*
