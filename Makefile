# Two commands for a fresh machine: `make demo` and `make test`. Each sets up its own venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The scorer's modules that setup.py compiles with mypyc; rebuilt in place when one changes.
COMPILED_SOURCES := setup.py $(wildcard functions/tensionwatch/scoring/*.py) functions/tensionwatch/commands/score.py
COMPILED := $(VENV)/.compiled

.PHONY: demo test lint typecheck eval bench bench-poll syndication coldstart load full cfn-lint compile clean schemas digest-cost

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	TENSIONWATCH_PURE_PYTHON=1 $(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Compiled once here, not by pip: pip's editable build would compile in its own environment.
$(COMPILED): $(STAMP) $(COMPILED_SOURCES)
	$(BIN)/python setup.py --quiet build_ext --inplace --force
	touch $(COMPILED)

compile: $(COMPILED)

demo: $(COMPILED)
	$(BIN)/tensionwatch demo

# The scorer's tests run twice: compiled (what the CLI runs) and from source (what Lambda runs).
test: $(COMPILED) lint typecheck
	$(BIN)/pytest -q -n 2 -m "not slow"
	TENSIONWATCH_SOURCE_ONLY=1 $(BIN)/pytest -q -n 2 tests/unit/scoring tests/unit/test_cli_score.py

lint: $(STAMP)
	$(BIN)/ruff check functions tests scripts
	$(BIN)/ruff format --check functions tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy

eval: $(COMPILED)
	$(BIN)/python scripts/evaluate.py

bench: $(COMPILED)
	$(BIN)/python scripts/bench_throughput.py

bench-poll: $(COMPILED)
	$(BIN)/python scripts/bench_poll.py

syndication: $(COMPILED)
	$(BIN)/python scripts/syndication_eval.py

coldstart: $(COMPILED)
	$(BIN)/python scripts/cold_start.py

load: $(COMPILED)
	$(BIN)/python scripts/load_run.py --size full

# The payload schemas published in docs/schemas, from the models (a test holds them equal).
schemas: $(STAMP)
	$(BIN)/python scripts/write_schemas.py

# AWS calls and DynamoDB units of digests over a simulated fortnight (docs/performance.md).
digest-cost: $(COMPILED)
	$(BIN)/python scripts/digest_cost.py

cfn-lint: $(STAMP)
	$(BIN)/cfn-lint template.yaml

full: $(COMPILED)
	$(BIN)/pytest -q -m slow

clean:
	rm -rf $(VENV) build functions/*.so functions/tensionwatch/*/*.so .mypy_cache .ruff_cache .pytest_cache .hypothesis
