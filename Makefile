# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_SETTINGS := --settings=config.settings.test

.PHONY: install run test lint format migrate seed bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## Serve the API with demo data on http://127.0.0.1:$(PORT) (docs at /api/docs/). SQLite unless DATABASE_URL is set.
run: seed
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## Every check: lint, migrations in sync, OpenAPI schema valid, the test suite.
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run $(TEST_SETTINGS)
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null $(TEST_SETTINGS)
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" \
		DATABASE_URL=sqlite:////tmp/deploy-check.db ALLOWED_HOSTS=api.example.com \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 test.sqlite3 staticfiles
