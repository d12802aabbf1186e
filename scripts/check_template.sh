#!/usr/bin/env bash
# Check template.yaml every way it is checked before a deploy:
#   1. `make infra`: sam validate --lint, cfn-lint and checkov, the tools from their own venvs
#      (`make tools` installs them from infra/tools/*.txt). No credentials or network needed.
#   2. the contract tests: handlers, settings, queues, tables, alarms, and each function's IAM
#      policy against the AWS calls its code makes (tests/integration/iam).
set -euo pipefail
cd "$(dirname "$0")/.."

make --no-print-directory infra
.venv/bin/pytest -q -p no:cacheprovider tests/integration/test_template_contract.py \
    tests/integration/iam tests/unit/test_requirements_pinned.py
