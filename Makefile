# Two commands for a fresh machine: `make demo` and `make test`. Each sets up its own venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The scorer's modules that setup.py compiles with mypyc; rebuilt in place when one changes.
COMPILED_SOURCES := setup.py $(wildcard functions/tensionwatch/scoring/*.py) functions/tensionwatch/commands/score.py
COMPILED := $(VENV)/.compiled
# The Lambda's locked requirements (hashes included), written from pyproject.toml by `make lock`.
LOCK := functions/requirements.txt
# The SAM CLI and checkov pin their own boto3, cfn-lint and pydantic: each has a venv of its own,
# installed from its hash-checked lock in infra/tools/.
TOOLS := .tools
SAM := $(TOOLS)/sam/bin/sam
CHECKOV := $(TOOLS)/checkov/bin/checkov
export SAM_CLI_TELEMETRY := 0

.PHONY: demo test lint typecheck infra tools lock eval bench bench-poll bench-backtest timeline syndication coldstart load fanout full cfn-lint compile clean schemas digest-cost

# The lock first, so the tests run on the versions Lambda runs; then the package and its tools.
# A fresh machine's first `make demo` or `make test` sets up for a few minutes: each step says
# what it does, and pip lists each package as it fetches it (not --quiet: that was two silent
# minutes a new user took for a hang).
$(STAMP): pyproject.toml $(LOCK)
	@echo "==> 1/3 creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@echo "==> 2/3 installing Tension Watch and its dependencies (about two minutes)"
	$(BIN)/pip install --progress-bar off --require-hashes --no-deps -r $(LOCK)
	TENSIONWATCH_PURE_PYTHON=1 $(BIN)/pip install --progress-bar off -e '.[dev]'
	touch $(STAMP)

# uv, not pip: pip's hash-checking mode refuses a package asked for with and without extras
# (boto3 and boto3[crt]), which both tools' locks hold.
$(TOOLS)/%/.installed: infra/tools/%.txt $(STAMP)
	rm -rf $(TOOLS)/$*
	$(BIN)/uv venv --quiet --python $(PYTHON) $(TOOLS)/$*
	$(BIN)/uv pip install --quiet --python $(TOOLS)/$*/bin/python --require-hashes -r $<
	touch $@

tools: $(TOOLS)/sam/.installed $(TOOLS)/checkov/.installed

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	    --no-strip-extras --custom-compile-command "make lock" --quiet -o $(LOCK)
	for tool in sam checkov; do $(BIN)/uv pip compile infra/tools/$$tool.in --universal \
	    --python-version 3.11 --generate-hashes --no-strip-extras \
	    --custom-compile-command "make lock" --quiet -o infra/tools/$$tool.txt; done

# Compiled once here, not by pip: pip's editable build would compile in its own environment.
$(COMPILED): $(STAMP) $(COMPILED_SOURCES)
	@echo "==> 3/3 compiling the scorer with mypyc (about a minute)"
	$(BIN)/python setup.py --quiet build_ext --inplace --force
	touch $(COMPILED)

compile: $(COMPILED)

demo: $(COMPILED)
	$(BIN)/tensionwatch demo

# The scorer's tests run twice: compiled (what the CLI runs) and from source (what Lambda runs).
# The packaging tests build and install in fresh venvs and run `sam build`: a step of their own.
test: $(COMPILED) lint typecheck infra
	$(BIN)/pytest -q -n 2 -m "not slow and not packaging"
	TENSIONWATCH_SOURCE_ONLY=1 $(BIN)/pytest -q -n 2 tests/unit/scoring tests/unit/test_cli_score.py
	$(BIN)/pytest -q -n 2 -m packaging

lint: $(STAMP)
	$(BIN)/ruff check functions tests scripts infra
	$(BIN)/ruff format --check functions tests scripts infra

typecheck: $(STAMP)
	$(BIN)/mypy

eval: $(COMPILED)
	$(BIN)/python scripts/evaluate.py

bench: $(COMPILED)
	$(BIN)/python scripts/bench_throughput.py

bench-poll: $(COMPILED)
	$(BIN)/python scripts/bench_poll.py

bench-backtest: $(COMPILED)
	$(BIN)/python scripts/bench_backtest.py

timeline: $(COMPILED)
	$(BIN)/python scripts/timeline_eval.py --out build/timeline $(YEARS)

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

# The template as SAM and checkov read it; each checkov skip is in template.yaml with its reason.
infra: tools cfn-lint
	$(SAM) validate --lint --template template.yaml
	$(TOOLS)/sam/bin/python infra/check_samconfig.py
	$(CHECKOV) --file template.yaml --framework cloudformation --skip-download --compact --quiet

# 1,000 simulated feeds (0.2-3 s, timeouts, 5xx) polled by the tick and concurrent workers over
# two ticks; prints seconds per tick and what completed during the slowest feed's request.
fanout: $(COMPILED)
	$(BIN)/pytest -q tests/reliability/test_fanout.py -m slow

full: $(COMPILED)
	$(BIN)/pytest -q -m slow

clean:
	rm -rf $(VENV) $(TOOLS) .aws-sam build functions/*.so functions/tensionwatch/*/*.so .mypy_cache .ruff_cache .pytest_cache .hypothesis
