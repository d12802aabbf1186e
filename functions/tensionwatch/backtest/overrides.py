"""`--set NAME=VALUE`: any `SignalConfig` number for one replay, checked like the score
function's settings (`ScoreSettings`: same names, upper case, same types and defaults)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace

from pydantic import ValidationError

from tensionwatch.config import ScoreSettings
from tensionwatch.signals.config import SignalConfig

NAMES = tuple(f.name for f in fields(SignalConfig))


class OverrideError(ValueError):
    """A `--set` that names no setting or holds no number of its type."""


def parse_overrides(pairs: Sequence[str]) -> dict[str, int | float]:
    """`["flash_score=7", "MIN_OUTLETS=2"]` as {"flash_score": 7.0, "min_outlets": 2}; raises
    OverrideError naming the bad one and, for an unknown name, the known ones."""
    raw: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lower().replace("-", "_")
        if not sep or not value.strip():
            raise OverrideError(f"--set {pair!r}: expected NAME=VALUE, e.g. flash_score=7")
        if name not in NAMES:
            raise OverrideError(f"--set {pair!r}: no setting {name!r}; one of {', '.join(NAMES)}")
        raw[name] = value.strip()
    try:
        # The function's own settings model types and checks the values, as the environment's.
        settings = ScoreSettings.model_validate(
            {"DYADS_TABLE": "-", "ALERTS_TABLE": "-", "SILENCES_TABLE": "-",
             "ALERTS_TOPIC_ARN": "-", **{n.upper(): v for n, v in raw.items()}}
        )  # fmt: skip
    except ValidationError as error:
        first = error.errors(include_input=False, include_url=False)[0]
        name = str(first["loc"][0]).lower()
        raise OverrideError(f"--set {name}={raw.get(name, '')}: {first['msg']}") from None
    values: dict[str, int | float] = {n: getattr(settings, n.upper()) for n in raw}
    return values


def configured(base: SignalConfig, overrides: dict[str, int | float]) -> SignalConfig:
    """`base` with `overrides` applied."""
    return replace(base, **overrides)  # type: ignore[arg-type]


def describe(config: SignalConfig, base: SignalConfig | None = None) -> str:
    """The settings of `config` that differ from `base` (the defaults), as NAME=VALUE."""
    base = base or SignalConfig()
    changed = [f"{n}={getattr(config, n):g}" for n in NAMES
               if getattr(config, n) != getattr(base, n)]  # fmt: skip
    return ", ".join(changed) or "the defaults"
