# Stegvis: the README's commands. `make run` and `make test` work on a fresh machine with
# Python 3.11+: they make the virtual environment and install what they need.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

# Development settings unless the caller says otherwise (production needs SECRET_KEY).
export STEGVIS_ENV ?= development

.PHONY: run test install install-test translations translate migrate demo lint clean

run: install translations
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	@echo "Stegvis runs on http://$(HOST):$(PORT) (stop with Ctrl+C). Demo sign-ins are in README.md."
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-test translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Stegvis needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	@# The Nu HTML Checker (package.json) for tests/test_html_validity.py, which is skipped without it.
	@if command -v npm >/dev/null 2>&1; then \
	  [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: tests/test_html_validity.py will be skipped (CI=true makes it fail)"; fi

# The app reads compiled catalogues (.mo); they are built from the .po files, not committed.
translations: install
	$(FLASK) translate compile

# After changing user-facing text: collect the strings and merge them into every catalogue.
translate: install
	$(FLASK) translate update

migrate: install
	$(FLASK) db upgrade

demo: install
	$(FLASK) demo

lint: install-test
	$(BIN)/ruff check webapp tests scripts

# After changing dependencies in pyproject.toml: pin them, with their hashes, in requirements.lock
# (what a production server installs with `pip install --require-hashes -r requirements.lock`).
.PHONY: lock
lock: install
	$(BIN)/python -m pip install --quiet 'pip-tools>=7.4,<8'
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
	  --no-emit-find-links -o requirements.lock pyproject.toml

# Static security gates: bandit (no high findings), the hashed lock file and its SBOM, and pip-audit (no known vulnerabilities; says
# SKIPPED when PyPI's vulnerability data cannot be reached). CI runs it after the tests.
.PHONY: security
security: install-test
	$(BIN)/python scripts/security_gates.py

# Time the goal report on 100 000 participations and 5 million activities (a few minutes; not part
# of `make test`). PostgreSQL too: BENCH_DATABASE_URL=postgresql+psycopg://user@host:5432 make bench-report
.PHONY: bench-report
bench-report: install
	$(BIN)/python scripts/bench_report.py $(BENCH_ARGS)

# The pages people use most, under load (wrk, from Debian: apt-get install wrk), each against a bare
# Flask page of the same size on the same gunicorn; 10 000 participations (a few minutes; not part of
# `make test`). Fails when a target is missed. PostgreSQL too:
# BENCH_DATABASE_URL=postgresql+psycopg://user@host:5432 make bench; bigger: BENCH_PAGES_ARGS=--large
.PHONY: bench soak
bench: install translations $(VENV)/.installed-bench
	$(BIN)/python scripts/bench/pages.py $(BENCH_PAGES_ARGS)

# 50 people (locust) for 10 minutes: no failed request, flat worker memory. Not in CI.
# Shorter: make soak SOAK_ARGS="--minutes 2"
soak: install translations $(VENV)/.installed-bench
	$(BIN)/python scripts/bench/soak.py $(SOAK_ARGS)

$(VENV)/.installed-bench: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $@

# Lighthouse (mobile) on the participant's pages of a throwaway demo, signed in; fails when a
# target is missed. Needs node/npm and Chromium (CHROME_PATH, default /usr/bin/chromium). Not part
# of `make test`. Fewer runs or pages: make audit AUDIT_ARGS="--runs 1 --pages home,log"
.PHONY: audit
audit: install translations $(VENV)/.installed-audit scripts/audit/node_modules/.installed
	$(BIN)/python scripts/audit/audit.py $(AUDIT_ARGS)

$(VENV)/.installed-audit: $(VENV)/.installed scripts/audit/requirements.txt
	$(BIN)/python -m pip install --quiet -r scripts/audit/requirements.txt
	@touch $@

scripts/audit/node_modules/.installed: scripts/audit/package.json scripts/audit/package-lock.json
	npm ci --prefix scripts/audit --no-audit --no-fund
	@touch $@

clean:
	rm -rf $(VENV) .pytest_cache
