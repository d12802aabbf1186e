"""API keys and the sources file from SSM Parameter Store, through Powertools Parameters."""

from __future__ import annotations

from collections.abc import Callable

from tensionwatch.sources.base import SourceError

KEY_MAX_AGE = 300  # seconds a warm Lambda reuses a key: rotation shows within 5 minutes


def ssm_parameter(name: str, *, decrypt: bool = True, max_age: int = KEY_MAX_AGE) -> str:
    """The value of SSM parameter `name`, cached for `max_age` seconds; raises SourceError
    (reason "config") naming the parameter, never its value."""
    from aws_lambda_powertools.utilities import parameters

    try:
        value = parameters.get_parameter(name, decrypt=decrypt, max_age=max_age)
    except parameters.exceptions.GetParameterError:
        raise SourceError("config", f"SSM parameter {name} could not be read") from None
    if not isinstance(value, str) or not value:
        raise SourceError("config", f"SSM parameter {name} is empty")
    return value


def checked_key(name: str, value: str) -> str:
    """`value` without surrounding whitespace (`--value file://key.txt` stores the file's
    newline); raises SourceError (reason "config") naming parameter `name`, never the value,
    when a control or whitespace character is left inside: it could not go into a header."""
    key = value.strip()
    if not (key.isascii() and key.isprintable()) or any(char.isspace() for char in key):
        raise SourceError("config", f"SSM parameter {name} holds whitespace or control characters")
    return key


def api_key(name: str) -> Callable[[], str]:
    """A lookup of the key stored under `name`, called per fetch so rotation is picked up."""
    return lambda: checked_key(name, ssm_parameter(name))
