# congdoan — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= $(or $(TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/congdoan)
PYTEST_ARGS ?=

.PHONY: demo test install lint types migrations-check test-sqlite test-postgres system-deps bench serve clean vendor fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/congdoan demo --port $(PORT)

serve: install
	$(BIN)/congdoan runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check congdoan bench
	$(BIN)/ruff format --check congdoan bench

types: install
	$(BIN)/mypy congdoan

migrations-check: install
	DATABASE_URL=sqlite:///:memory: $(BIN)/congdoan makemigrations --check --dry-run

# Debian packages: chromium for the browser tests (Playwright never downloads a browser here),
# Pango/HarfBuzz and fonts with full Vietnamese glyphs for WeasyPrint's PDF reports.
SYSTEM_PACKAGES := chromium fonts-dejavu-core fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages: sudo apt-get install $$missing"; fi; \
	fi

test-sqlite: install system-deps
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest $(PYTEST_ARGS)

# PostgreSQL run: required when REQUIRE_POSTGRES=1 (CI), else run only if a server answers.
test-postgres: install system-deps
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$(REQUIRE_POSTGRES)" = 1 ]; then echo "PostgreSQL is required but not reachable at $(PG_URL)"; exit 1; \
	else echo "PostgreSQL not reachable at $(PG_URL): ran the tests on SQLite only."; fi

test: lint types migrations-check test-sqlite test-postgres
	@echo "make test: lint, types, migrations and tests passed."

# A longer API fuzzing run than the one `make test` includes (congdoan/api/tests/test_fuzz.py):
# FUZZ_EXAMPLES generated requests per operation and mode, on SQLite (FUZZ_DATABASE_URL to change).
FUZZ_EXAMPLES ?= 200
FUZZ_DATABASE_URL ?= sqlite:///$(CURDIR)/var/test-fuzz.sqlite3
fuzz: install
	CONGDOAN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) DATABASE_URL=$(FUZZ_DATABASE_URL) $(BIN)/pytest congdoan/api/tests/test_fuzz.py $(PYTEST_ARGS)

bench: install
	for b in tree_bench members_import_bench members_search_bench achievements_bench reports_bench; do $(BIN)/python bench/$$b.py || exit 1; done

# Refresh the vendored front-end files from the npm registry (committed under congdoan/static/vendor).
vendor:
	rm -rf /tmp/congdoan-vendor && mkdir -p /tmp/congdoan-vendor
	cd /tmp/congdoan-vendor && npm init -y >/dev/null && npm install -s bootstrap@5 htmx.org@2 bootstrap-icons chart.js@4 axe-core@4
	cp /tmp/congdoan-vendor/node_modules/bootstrap/dist/css/bootstrap.min.css /tmp/congdoan-vendor/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js congdoan/static/vendor/bootstrap/
	cp /tmp/congdoan-vendor/node_modules/htmx.org/dist/htmx.min.js congdoan/static/vendor/htmx/
	cp /tmp/congdoan-vendor/node_modules/bootstrap-icons/font/bootstrap-icons.min.css congdoan/static/vendor/bootstrap-icons/
	cp /tmp/congdoan-vendor/node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 congdoan/static/vendor/bootstrap-icons/fonts/
	mkdir -p congdoan/static/vendor/chartjs congdoan/static/vendor/axe
	# axe-core: the accessibility check the browser tests inject (congdoan/tests/test_accessibility_browser.py)
	cp /tmp/congdoan-vendor/node_modules/axe-core/axe.min.js /tmp/congdoan-vendor/node_modules/axe-core/LICENSE congdoan/static/vendor/axe/
	cp /tmp/congdoan-vendor/node_modules/chart.js/dist/chart.umd.min.js /tmp/congdoan-vendor/node_modules/chart.js/LICENSE.md congdoan/static/vendor/chartjs/
	# Strip references to files we do not ship, or `collectstatic` with whitenoise's manifest storage
	# (DEBUG=off) stops with MissingFileError: the source maps, and the .woff fallback (woff2 is enough).
	sed -i -E '/^\/[\/*]# sourceMappingURL=/d' congdoan/static/vendor/bootstrap/bootstrap.min.css congdoan/static/vendor/bootstrap/bootstrap.bundle.min.js congdoan/static/vendor/chartjs/chart.umd.min.js
	sed -i -E 's/,url\("fonts\/bootstrap-icons\.woff\?[^"]*"\) format\("woff"\)//' congdoan/static/vendor/bootstrap-icons/bootstrap-icons.min.css

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
