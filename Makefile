# medmatch — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export PATH := $(HOME)/.local/bin:$(PATH)

HOST ?= 127.0.0.1
PORT ?= 8000
PG_DATABASE ?= medmatch
PG_USER ?= $(shell id -un)
TEST_DATABASE_URL ?= postgres://$(PG_USER)@127.0.0.1:5432/$(PG_DATABASE)
PYTEST := uv run pytest
# The suite without browser tests runs on every core (pytest-xdist; each worker has its own test
# database). PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

# Test processes keep Python's bytecode cache (__pycache__): where the environment sets
# PYTHONDONTWRITEBYTECODE=1, every pytest-xdist worker and every subprocess a test starts compiled
# each module it imports again, about 1.6 s of CPU per process. An empty value is "unset" to
# Python (make cannot `unexport` for some targets only).
test-production test-sqlite test-postgres test-browser: export PYTHONDONTWRITEBYTECODE :=

.PHONY: run test lint test-production test-sqlite test-postgres test-browser bench setup clean help

help:
	@echo "make run    install what is missing, migrate, load the real catalog on first start, serve on http://$(HOST):$(PORT)"
	@echo "make test   lint, the production smoke test, the suite on SQLite, again on PostgreSQL, then the browser tests"
	@echo "make bench  run every benchmark under benchmarks/ and print its figures"

run:
	@scripts/setup.sh python pdf
	DEBUG=$${DEBUG:-true} uv run medmatch serve --host $(HOST) --port $(PORT)

test: lint test-production test-sqlite test-postgres test-browser

lint:
	@scripts/setup.sh python
	uv run ruff format --check .
	uv run ruff check .
	DEBUG=true uv run medmatch manage makemigrations --check --dry-run

# DEBUG=false, a random SECRET_KEY, a fresh data directory: check --deploy, `medmatch serve
# --production` (migrate, collectstatic, gunicorn), then the main pages' status and security headers.
test-production:
	@scripts/setup.sh python
	uv run python scripts/smoke_production.py

test-sqlite:
	@scripts/setup.sh python pdf
	$(PYTEST) -m "not browser" -n $(PYTEST_WORKERS)

test-postgres:
	@scripts/setup.sh python pdf postgres
	DATABASE_URL=$(TEST_DATABASE_URL) $(PYTEST) -m "not browser" -n $(PYTEST_WORKERS)

test-browser:
	@scripts/setup.sh python browser
	$(PYTEST) -m browser tests/browser --liveserver=127.0.0.1 --output=test-results

# Each benchmark prints its own figures (medians, p95, ratios measured side by side in one run).
BENCH_DATABASE_URL ?= postgres://$(PG_USER)@127.0.0.1:5432/medmatch_bench
BENCH := uv run --group bench python
bench:
	@scripts/setup.sh python pdf nginx
	@PG_DATABASE=medmatch_bench scripts/setup.sh postgres
	$(BENCH) benchmarks/match_nrmp.py
	$(BENCH) benchmarks/match_compare.py
	$(BENCH) benchmarks/match_engine.py
	$(BENCH) benchmarks/match_cycle_db.py --postgres $(BENCH_DATABASE_URL)
	$(BENCH) benchmarks/interview_slots.py
	$(BENCH) benchmarks/workspace_slot_round.py
	$(BENCH) benchmarks/fit_rank.py
	$(BENCH) benchmarks/writing_analyze.py
	$(BENCH) benchmarks/writing_evaluate.py
	$(BENCH) benchmarks/catalog_import.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BENCH) benchmarks/catalog_import.py
	$(BENCH) benchmarks/catalog_search.py --postgres $(BENCH_DATABASE_URL)
	$(BENCH) benchmarks/recommendations_page.py
	$(BENCH) benchmarks/program_page.py
	$(BENCH) benchmarks/practice_match.py
	$(BENCH) benchmarks/workspace_inbox.py
	$(BENCH) benchmarks/api_fuzz.py
	$(BENCH) benchmarks/load.py --postgres $(BENCH_DATABASE_URL) --duration 150

clean:
	rm -rf var/ test-results/ .pytest_cache .ruff_cache
