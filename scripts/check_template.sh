#!/usr/bin/env bash
# Check template.yaml the three ways it is checked before a deploy:
#   1. cfn-lint (the project's pinned copy, also run by the test command),
#   2. the contract tests (handlers, settings, queues, tables, policies, routes),
#   3. `sam validate --lint` with the SAM CLI from its own venv, when one is installed:
#        python3 -m venv /tmp/samcli && /tmp/samcli/bin/pip install aws-sam-cli
#      (set SAM=/path/to/sam to use another). No credentials or network needed.
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/cfn-lint template.yaml
echo "cfn-lint: clean"
.venv/bin/pytest -q -p no:cacheprovider tests/integration/test_template_contract.py \
    tests/unit/test_requirements_pinned.py

SAM="${SAM:-$(command -v sam || echo /tmp/samcli/bin/sam)}"
if [[ -x "$SAM" ]]; then
    # sam only needs a region to translate the template; it calls no AWS API here.
    export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" SAM_CLI_TELEMETRY=0
    "$SAM" validate --template-file template.yaml          # the SAM translator
    "$SAM" validate --lint --config-file infra/samconfig.toml   # the SAM CLI's cfn-lint
else
    echo "sam validate: skipped (no SAM CLI; see infra/README.md to install it in its own venv)"
fi
