# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE ?= tollservice.settings.local

.PHONY: run test lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	mkdir -p var/broker/queue var/broker/processed var/mail
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/honcho -f Procfile.local start

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=tollservice.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the catalogues after changing user-facing strings, then translate and compile.
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l zh_Hans -l en

bench: $(VENV)/.installed-dev
	for script in bench/*.py; do DJANGO_SETTINGS_MODULE=tollservice.settings.test $(BIN)/python $$script || exit 1; done

clean:
	rm -rf var/db.sqlite3 var/broker var/mail var/celerybeat-schedule*
