# The two commands of the README:
#   make run   set up and serve the portal with demo data on SQLite (no PostgreSQL, no Redis)
#   make test  set up and run every check and the whole test suite (SQLite, then PostgreSQL)

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install system-deps lint check-translations messages lock migrate seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var/mail var/static

migrate: install var
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

# The port reaches migrate (the Site allauth names) and the server (links in e-mails): core/site.py.
run: export DJANGO_PORT = $(PORT)
run: seed
	@echo "Serving http://127.0.0.1:$(PORT)/  (demo accounts: see README.md)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Debian packages the test run needs; installs only what is missing (needs root).
system-deps:
	bash scripts/system-deps.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint templates
	$(BIN)/mypy

check-translations: install
	$(BIN)/python scripts/check_translations.py

test: system-deps install
	bash scripts/test.sh

# Extract new source strings into the Polish catalogue, then translate them and run
# `make compile-messages`.
messages: install
	$(BIN)/python manage.py makemessages -l pl --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=docs

compile-messages: install
	$(BIN)/python manage.py compilemessages -l pl -l en --ignore=.venv

# Re-resolve the lock file from pyproject.toml in a scratch virtual environment.
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet ".[dev]"
	{ echo "# Exact versions of every dependency, direct and transitive (Python 3.11)."; \
	  echo "# Regenerate: make lock (see docs/development.md)."; \
	  var/lock-venv/bin/pip freeze --exclude krakow-ngo; } > requirements.lock
	rm -rf var/lock-venv

clean:
	rm -rf $(VENV) var
