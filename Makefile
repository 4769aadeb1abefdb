# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PARTNER_PORT ?= 8100
TEST_SETTINGS := --settings=config.settings.test

.PHONY: install run test lint format migrate seed bench fuzz clean hooks worker

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
## A fake pharmacy partner runs beside it on $(PARTNER_PORT) so the partner flow works out of the box.
## Once the server answers, it prints the docs and admin addresses and the demo logins (config/welcome.py).
run: migrate
	@$(PY) manage.py seed_demo --no-color > $(VENV)/demo-logins.txt
	@echo "Background tasks (mail) run inline: CELERY_TASK_ALWAYS_EAGER=true. With RabbitMQ, set it to false and run 'make worker'."
	@$(PY) manage.py run_fake_partner --port $(PARTNER_PORT) & fake=$$!; \
	$(PY) -m config.welcome http://127.0.0.1:$(PORT) $(VENV)/demo-logins.txt & welcome=$$!; \
	trap 'kill $$fake $$welcome 2>/dev/null' EXIT INT TERM; \
	LOG_FORMAT=text PARTNERAPI_URL=http://127.0.0.1:$(PARTNER_PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Every check: lint, types, migrations in sync, OpenAPI schema valid, the test suite.
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/pre-commit validate-config .pre-commit-config.yaml
	$(PY) manage.py makemigrations --check --dry-run $(TEST_SETTINGS)
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null $(TEST_SETTINGS)
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" \
		DATABASE_URL=sqlite:////tmp/deploy-check.db ALLOWED_HOSTS=api.example.com \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## Benchmarks on PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench).
## BENCH_ARGS="--scale 0.1 --duration 5" for a quick run. Not part of `make test`.
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk) || \
		{ echo "wrk is needed: install Debian's wrk package"; exit 1; }
	$(PY) -m pip install --quiet matplotlib==3.11.2  # the latency histogram (bench/latency.png); bench only
	$(PY) -m bench.run $(BENCH_ARGS)

## schemathesis's own CLI against a live server with production settings, as the superuser and a plain user
## (tests/support/st_cli.py): every check, positive and negative data, every phase. FUZZ_ARGS="--examples 25".
fuzz: install
	$(PY) -m tests.support.st_cli $(FUZZ_ARGS)

## A Celery worker with the beat scheduler in one process (development); production runs them apart (docker-compose.yml).
worker: install
	CELERY_TASK_ALWAYS_EAGER=false $(VENV)/bin/celery -A config worker --beat --loglevel INFO --pool threads --concurrency 4

## The git hooks of .pre-commit-config.yaml (ruff, format, makemigrations --check, mypy), from .venv.
hooks: install
	$(VENV)/bin/pre-commit install

lint: install
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 test.sqlite3 staticfiles
