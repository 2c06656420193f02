# Two commands matter: `make run` and `make test` (see README.md).
# Everything is installed into .venv from pyproject.toml, pinned by constraints.txt.

PYTHON_BOOT ?= python3.11
VENV        := .venv
BIN         := $(VENV)/bin
PY          := $(BIN)/python
STAMP       := $(VENV)/.installed

# Project-local state; telemetry off everywhere (these machines have no internet).
export DAGSTER_HOME := $(CURDIR)
export DAGSTER_DISABLE_TELEMETRY := 1
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_PROFILES_DIR := $(CURDIR)/dbt_project
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test ui demo demo-off bench lint clean install sql docs browser test-reports

## make run: install if needed, write the demo yearbook if missing, materialize every asset
run: $(STAMP)
	$(PY) -m orchestration.cli run $(if $(FULL),--full,)

## make test: the whole test suite (what CI runs)
test: $(STAMP) browser
	$(PY) -m pytest -n 2 --dist loadgroup -q

## make ui: the Dagster UI on http://127.0.0.1:3000 with the whole asset graph (and the daemon:
## schedules, sensors, the snapshot's automation); Ctrl-C stops every process it started.
## The recipe starts `dagster dev` in the background (so its trap runs at once) and in its own
## session, and stops that whole process group: a background command of a shell without job
## control inherits SIGINT ignored, and dagster dev then ignores SIGTERM too (it maps TERM to
## INT's handler), hence `env --default-signal=INT`. make passes SIGTERM to its recipe but not
## a SIGINT sent to make's pid alone: stop a background `make ui` as Ctrl-C does,
## `kill -INT -- -<make's pgid>`, or with `kill <make's pid>`.
ui: $(STAMP)
	$(PY) -m orchestration.cli prepare
	@setsid env --default-signal=INT $(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000 & pid=$$!; \
	stop() { kill -TERM -$$pid 2>/dev/null; wait $$pid; \
	         for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -$$pid 2>/dev/null || return 0; \
	           sleep 1; done; kill -KILL -$$pid 2>/dev/null; }; \
	trap 'stop; exit 130' INT TERM HUP; \
	wait $$pid

## make demo: (re)write the synthetic demo yearbook into data/raw
demo: $(STAMP)
	$(PY) -m orchestration.cli demo

## make demo-off: remove the demo yearbook from data/raw and from the build warehouse in one
## step (the analysts' snapshot keeps its content until the next refresh publishes a new one)
demo-off: $(STAMP)
	$(PY) -m orchestration.cli demo-off

## make sql: the DuckDB CLI on the published read-only snapshot (safe while a refresh runs)
sql: $(STAMP)
	$(BIN)/duckdb -readonly data/warehouse/warehouse.duckdb

## make docs: dbt docs (every model and column: meaning, unit, source) on http://127.0.0.1:8080
docs: $(STAMP)
	cd dbt_project && WAREHOUSE_DB_PATH=$(CURDIR)/data/warehouse/build.duckdb ../$(BIN)/dbt docs generate
	cd dbt_project && ../$(BIN)/dbt docs serve --host 127.0.0.1 --port 8080 --no-browser

## make bench: time a full refresh (one run, as make run) and its layers
bench: $(STAMP)
	$(PY) benchmarks/refresh.py

## make browser: Debian's chromium for the report check (tests/reports/test_browser.py); where
## it cannot be installed (not root, no apt-get, no package) the check is skipped, saying why
browser:
	@command -v chromium >/dev/null 2>&1 && echo "chromium: $$(command -v chromium)" || \
	{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  echo "installing Debian's chromium (apt-get install chromium)" && \
	  { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	      -o DPkg::Lock::Timeout=300 chromium >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	        -o DPkg::Lock::Timeout=300 chromium >/dev/null; }; } && \
	  echo "chromium installed"; } || \
	echo "chromium could not be installed here: the browser check of the reports will be skipped"

## make test-reports: the report renderers' tests only (tables, figures, pages, browser check)
test-reports: $(STAMP) browser
	$(PY) -m pytest tests/reports -q

lint: $(STAMP)
	$(BIN)/ruff check models_py orchestration tests benchmarks

install: $(STAMP)

# pip's output (a few hundred lines of warnings on these machines) goes to .venv/install.log
# and is printed only when the install fails
$(STAMP): pyproject.toml constraints.txt
	@echo "Installing the Python environment into $(VENV) (pyproject.toml, pinned by constraints.txt; about a minute, once; pip's log: $(VENV)/install.log)"
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	@{ $(PY) -m pip install --quiet --upgrade "pip>=24" && \
	   $(PY) -m pip install --quiet -c constraints.txt -e . ; } > $(VENV)/install.log 2>&1 || \
	 { cat $(VENV)/install.log; echo "Installing the environment failed: pip's log is above and in $(VENV)/install.log"; exit 1; }
	@touch $(STAMP)
	@echo "Installed."

clean:
	rm -rf data/warehouse reports dbt_project/target dbt_project/logs storage history logs schedules .pytest_cache
