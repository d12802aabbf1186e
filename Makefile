# Two commands for a fresh machine: `make demo` and `make test`. Each sets up its own venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck eval bench bench-poll syndication coldstart load full cfn-lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tensionwatch demo

test: $(STAMP) lint typecheck
	$(BIN)/pytest -q -n 2 -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check functions tests scripts
	$(BIN)/ruff format --check functions tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/python scripts/evaluate.py

bench: $(STAMP)
	$(BIN)/python scripts/bench_throughput.py

bench-poll: $(STAMP)
	$(BIN)/python scripts/bench_poll.py

syndication: $(STAMP)
	$(BIN)/python scripts/syndication_eval.py

coldstart: $(STAMP)
	$(BIN)/python scripts/cold_start.py

load: $(STAMP)
	$(BIN)/python scripts/load_run.py --size full

cfn-lint: $(STAMP)
	$(BIN)/cfn-lint template.yaml

full: $(STAMP)
	$(BIN)/pytest -q -m slow

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
