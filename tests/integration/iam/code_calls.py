"""The AWS calls each function's code can make, read from the code with `ast` (nothing runs).

1. Adapters (tests/integration/iam/adapters.py) say which IAM actions each method causes.
2. Bindings: an adapter acts on the resource its constructor is given from a function's
   settings (`ArticleStore(settings.ARTICLES_TABLE)`, directly or through one helper such as
   `notifier(settings.WEBHOOK_SECRETS_PREFIX)`); the settings model says which function.
3. Uses: the modules a handler imports (at any depth, lazily or not) call adapter methods on
   receivers the code types as that adapter.

The result is a set of (IAM action, resource) per function, the resource named as the
template names it: a logical id (`ArticlesTable`), `AlertsTopic:*` for its subscriptions, or
`secret:<prefix>*` / `parameter:<prefix>*`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from tests.integration.iam.adapters import Adapter, adapters, receiver_types
from tests.integration.iam.package import (
    Module,
    annotation,
    functions,
    last_name,
    modules,
    reachable,
    resolve,
)

EVENT_QUEUE = "<event source queue>"  # an adapter built with no resource acts on its event's
# SNS calls whose resource is a subscription (`<topic arn>:<id>`), not the topic itself.
ON_SUBSCRIPTIONS = {"Unsubscribe", "GetSubscriptionAttributes", "SetSubscriptionAttributes"}
# Powertools' Parameters utility reads SSM for the code (`parameters.get_parameter`).
POWERTOOLS_CALLS = {"get_parameter": ("ssm", "GetParameter")}
RESOURCE_SETTINGS = ("_TABLE", "_QUEUE_URL", "_TOPIC_ARN", "_PREFIX")


@dataclass
class FunctionCalls:
    """What one Lambda function's code can call: (IAM action, resource) pairs."""

    calls: set[tuple[str, str]] = field(default_factory=set)
    # adapter -> the resources it is given (DigestReads: the pairs' and the alerts' tables)
    bound: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unbound: set[str] = field(default_factory=set)  # adapters used with no resource found


def function_calls(
    handler_module: str, settings_model: str, env: dict[str, object], parameter_prefix: str
) -> FunctionCalls:
    """The (action, resource) pairs the function whose handler is `handler_module` can call.
    `settings_model` is its settings class name, `env` its template Environment (long-form
    intrinsics), which names the resource behind each setting; SSM parameters it reads all
    start with `parameter_prefix` (the template and the sources file hold them there)."""
    loaded = reachable(handler_module)
    receivers = receiver_types()
    bound = _bindings(loaded, settings_model, env)
    out = FunctionCalls(bound=bound)
    delegated = _inside_adapters()
    for name in loaded:
        for node in ast.walk(modules()[name].tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and id(node) not in delegated):  # fmt: skip
                for adapter in receivers.get(last_name(node.func.value).lstrip("_"), set()):
                    _add_use(out, adapters()[adapter], node.func.attr, bound)
                if (
                    node.func.attr in POWERTOOLS_CALLS
                    and last_name(node.func.value) == "parameters"
                ):
                    service, op = POWERTOOLS_CALLS[node.func.attr]
                    out.calls.add((f"{service}:{op}", f"parameter:{parameter_prefix}*"))
    return out


@cache
def _inside_adapters() -> frozenset[int]:
    """The nodes of every adapter's class: its calls on the adapters it holds count where its
    own method is used (a delegation), not as uses of their own."""
    return frozenset(id(n) for a in adapters().values() for n in ast.walk(a.node))


def _add_use(
    out: FunctionCalls, adapter: Adapter, method: str, bound: dict[str, tuple[str, ...]]
) -> None:
    if method not in adapter.methods():
        return
    resources = bound.get(adapter.qualname)
    if resources is None:  # not constructed for this function (another function's wiring)
        out.unbound.add(adapter.qualname)
        return
    # An adapter given several resources is read as doing each of its method's calls on each
    # of them: the reading does not follow which attribute a call names. A policy can then
    # only be wider than the code needs, never narrower.
    for action in adapter.actions(method):
        on_subscription = action.split(":")[1] in ON_SUBSCRIPTIONS
        for resource in resources:
            out.calls.add((action, f"{resource}:*" if on_subscription else resource))
    for other, other_method in adapter.delegations(method):
        _add_use(out, adapters()[other], other_method, bound)


def _bindings(
    loaded: set[str], settings_model: str, env: dict[str, object]
) -> dict[str, tuple[str, ...]]:
    """Adapter qualname -> the resources its constructor gets from this function's settings."""
    out: dict[str, tuple[str, ...]] = {}
    helpers: dict[str, dict[int | str, str]] = {}  # helper -> its parameters' settings fields
    for name in loaded:
        for function in functions(modules()[name].tree):
            for call, field_name in _settings_arguments(function, settings_model):
                helpers.setdefault(_call_name(call, modules()[name]), {})[field_name[0]] = (
                    field_name[1]
                )
    for name in loaded:
        module = modules()[name]
        for function in functions(module.tree):
            parameters = [a.arg for a in function.args.args + function.args.kwonlyargs]
            own = helpers.get(f"{name}.{function.name}", {})
            for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                adapter = resolve(module.names.get(last_name(call.func), ""))
                if adapter not in adapters():
                    continue
                fields = _fields_given(call, function, settings_model, parameters, own)
                if fields:  # built twice on two resources (ModelQueue): acts on both
                    given = tuple(resource_of(f, env) for f in fields)
                    out[adapter] = tuple(dict.fromkeys(out.get(adapter, ()) + given))
                elif not (call.args or call.keywords) and _settings_names(function, settings_model):
                    out[adapter] = (EVENT_QUEUE,)  # e.g. DeliveryRetries: the queue of the event
    return out


def _fields_given(call: ast.Call, function: ast.FunctionDef, model: str, parameters: list[str],
                  via: dict[int | str, str]) -> list[str]:  # fmt: skip
    """Settings fields passed to `call`, directly or through the enclosing function's
    parameters (`via`: parameter position or name -> the field its callers pass)."""
    fields = []
    settings = _settings_names(function, model)
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(arg, ast.Attribute) and last_name(arg.value) in settings:
            fields.append(arg.attr)
        elif isinstance(arg, ast.Name) and arg.id in parameters:
            position = parameters.index(arg.id)
            if position in via or arg.id in via:
                fields.append(via.get(position) or via[arg.id])
    return [f for f in fields if f.endswith(RESOURCE_SETTINGS)]


def _settings_arguments(
    function: ast.FunctionDef, model: str
) -> Iterator[tuple[ast.Call, tuple[int | str, str]]]:
    """(call, (position or keyword, field)) for each `settings.FIELD` argument in `function`."""
    settings = _settings_names(function, model)
    for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
        for position, arg in enumerate(call.args):
            if isinstance(arg, ast.Attribute) and last_name(arg.value) in settings:
                yield call, (position, arg.attr)
        for keyword in call.keywords:
            if (
                isinstance(keyword.value, ast.Attribute)
                and last_name(keyword.value.value) in settings
            ):
                yield call, (keyword.arg or "", keyword.value.attr)


def _settings_names(function: ast.FunctionDef, model: str) -> set[str]:
    """Names that hold this function's settings: a parameter annotated with the model, or a
    variable assigned from its accessor (`settings = poll_settings()`)."""
    accessor = model.removesuffix("Settings").lower() + "_settings"
    names = {a.arg for a in function.args.args if annotation(a.annotation) == model}
    for node in ast.walk(function):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and last_name(node.value.func) == accessor):  # fmt: skip
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def resource_of(setting: str, env: dict[str, object]) -> str:
    """How the template names the resource behind `setting` in the function's Environment."""
    value = env[setting]
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    text = value.get("Fn::Sub") if isinstance(value, dict) else value
    kind = "secret" if setting.endswith("SECRETS_PREFIX") else setting.lower()
    return f"{kind}:{text}*"


def _call_name(call: ast.Call, module: Module) -> str:
    name = last_name(call.func)
    return module.names.get(name, f"{module.name}.{name}")
