"""Each stage's `parameter_overrides` in infra/samconfig.toml, read by SAM CLI's own parser (run
with the SAM tool venv's Python: `make infra`), names a template parameter and holds a value the
template accepts. SAM splits overrides on spaces and refuses `Name=` with no value, which a TOML
reader cannot show: "ScheduleRate=rate(5 minutes)" reaches CloudFormation as "rate(5"."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from samcli.cli.types import CfnParameterOverridesType
from samcli.yamlhelper import yaml_parse

ROOT = Path(__file__).resolve().parents[1]


def problems(config: dict[str, object], parameters: dict[str, dict[str, object]]) -> list[str]:
    found = []
    parser = CfnParameterOverridesType()
    for stage, commands in config.items():
        if not isinstance(commands, dict):
            continue
        raw = commands.get("deploy", {}).get("parameters", {}).get("parameter_overrides", [])
        try:
            overrides = parser.convert(raw, None, None)
        except Exception as error:  # click's BadParameter: SAM would stop here too
            found.append(f"[{stage}] SAM refuses the overrides: {error}")
            continue
        for name, value in overrides.items():
            found += [f"[{stage}] {name}: {p}" for p in _checked(parameters.get(name), value)]
    return found


def _checked(parameter: dict[str, object] | None, value: str) -> list[str]:
    if parameter is None:
        return ["not a parameter of template.yaml"]
    allowed = parameter.get("AllowedValues")
    if isinstance(allowed, list) and value not in [str(a) for a in allowed]:
        return [f"{value!r} is not one of {allowed}"]
    pattern = parameter.get("AllowedPattern")
    if isinstance(pattern, str) and not re.fullmatch(pattern, value):
        return [f"{value!r} does not match {pattern}"]
    return []


def main() -> int:
    config = tomllib.loads((ROOT / "infra" / "samconfig.toml").read_text(encoding="utf-8"))
    template = yaml_parse((ROOT / "template.yaml").read_text(encoding="utf-8"))
    found = problems(config, template["Parameters"])
    for problem in found:
        print(f"infra/samconfig.toml {problem}", file=sys.stderr)
    print("infra/samconfig.toml: every stage's overrides parse and fit the template" if not found
          else f"infra/samconfig.toml: {len(found)} problem(s)")  # fmt: skip
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
