# The two commands of the README: `make run` serves the API, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test schema seed bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "doorstep needs Python 3.11 or newer: make PYTHON=python3.12 …")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/doorstep serve

test: $(VENV)/.installed-test
	$(BIN)/ruff format --check --quiet .
	$(BIN)/ruff check --quiet .
	$(BIN)/mypy
	$(BIN)/python -m pytest

schema: $(VENV)/.installed
	$(BIN)/doorstep export-schema

seed: $(VENV)/.installed
	$(BIN)/doorstep seed --reload

# make bench BENCH="--requests 1000 --concurrency 16" for other loads; see doorstep bench --help.
BENCH ?= --requests 300 --concurrency 8
bench: $(VENV)/.installed
	$(BIN)/doorstep bench $(BENCH)

# Stops the embedded PostgreSQL by the pid its postmaster.pid names (a fast shutdown, SIGINT),
# and only when that process is a postgres serving this very folder: never by a pattern over
# command lines, which matched the shell running this recipe (its own line names the folder).
PGDATA := $(CURDIR)/.doorstep/postgres
clean:
	@pidfile="$(PGDATA)/postmaster.pid"; \
	if [ -f "$$pidfile" ]; then \
		pid=$$(sed -n 1p "$$pidfile"); dir=$$(sed -n 2p "$$pidfile"); \
		if [ "$$dir" = "$(PGDATA)" ] && [ "$$(cat /proc/$$pid/comm 2>/dev/null)" = postgres ]; then \
			echo "Stopping the embedded PostgreSQL (pid $$pid)"; \
			kill -INT "$$pid"; \
			for _ in $$(seq 100); do kill -0 "$$pid" 2>/dev/null || break; sleep 0.1; done; \
		fi; \
	fi
	rm -rf $(VENV) .doorstep
