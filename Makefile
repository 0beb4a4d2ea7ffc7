# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test lint format install install-dev migrate seed worker beat clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install  ## serve the portal with demo data at http://127.0.0.1:5000 (STRIPE_FAKE=1: and a fake Stripe)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask fake-stripe --only-if-enabled & fake=$$!; \
	trap 'kill $$fake 2>/dev/null' EXIT INT TERM; \
	PORTAL_MAIL_LOG_LINKS=true $(BIN)/flask run --host 127.0.0.1 --port 5000

test: install  ## lint, then every test (PostgreSQL/Redis/browser tests run when configured)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install  ## every bench/*.py, one line per figure with its baseline (QUICK=1: smoke sizes)
	$(BIN)/python bench/run.py $(if $(QUICK),--quick) $(BENCH_ARGS)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: install
	$(BIN)/celery -A wsgi.celery_app worker --loglevel=INFO

beat: install
	$(BIN)/celery -A wsgi.celery_app beat --loglevel=INFO

clean:
	rm -rf $(VENV) instance/portal.db .pytest_cache
