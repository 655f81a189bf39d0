# Two commands on a fresh machine: `make run` and `make test`. Nothing else by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DEMO_PASSWORD ?= mnvp-demo-2026

.PHONY: install run test lint format clean chromium pgclient bench

$(BIN)/activate:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed (Django 5.2 LTS with Wagtail 8)"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install chromium pgclient
	$(BIN)/pytest $(PYTEST_ARGS)

# The browser tests (tests/e2e) drive Debian's Chromium through Playwright; nothing is
# downloaded at run time. Installed here when missing and we are root with apt-get;
# otherwise those tests skip (unless E2E_REQUIRED=1, as in CI).
CHROMIUM := /usr/bin/chromium
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests: apt-get install chromium"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; } \
	      || echo "Could not install Chromium: browser tests will be skipped"; \
	  else \
	    echo "No $(CHROMIUM) (Debian: apt-get install chromium as root): browser tests will be skipped"; \
	  fi; \
	fi

# The backup test on PostgreSQL (tests/cms/test_backups.py) runs pg_dump and pg_restore:
# installed like Chromium when the suite runs on PostgreSQL and they are missing.
pgclient:
	@if [[ "$${DATABASE_URL:-}" == postgres* ]] && ! command -v pg_dump >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing the PostgreSQL client tools for the backup test: apt-get install postgresql-client"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q postgresql-client || { apt-get update -q && apt-get install -y -q postgresql-client; } \
	      || echo "Could not install postgresql-client: the PostgreSQL backup test will fail"; \
	  else \
	    echo "No pg_dump (Debian: apt-get install postgresql-client as root): the PostgreSQL backup test will fail"; \
	  fi; \
	fi

# Speed against a baseline, on a throwaway test database (DATABASE_URL picks PostgreSQL).
# BENCH_ARGS="--size large" for host scale; writes bench-results.json. The older focused
# scripts (benchmarks/import_rate.py, benchmarks/compliance_scale.py) still run by hand.
BENCH_ARGS ?= --size small
bench: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py bench $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 test-results
