"""Adapters: the classes that create a boto3 client, and the IAM actions each method causes.

A method's actions are the operations it calls on a client, the DynamoDB transaction items it
builds (`{"Put": ...}`), and the same for every method of its class and store helper it
reaches. A call it makes on another adapter it holds (`self._alerts.record_actions`) is that
adapter's, on that adapter's resources: a delegation. Receivers: the names the code gives an
adapter (`alerts: AlertStore`, `alerts=AlertStore(...)`, a Protocol the adapter satisfies such
as `memory: StoryMemory`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import botocore.session
from botocore import xform_name
from tests.integration.iam.package import (
    NOT_DEPLOYED,
    STORE,
    Module,
    annotation,
    definition,
    is_self,
    last_name,
    modules,
    resolve,
)

# Operations IAM authorises under another action (the batch forms under the single one);
# TransactWriteItems has no action of its own: each item is authorised as Put, Update...
SAME_AS = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
    "PublishBatch": "Publish",
    "TransactGetItems": "GetItem",
}
TRANSACTION_ITEMS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                     "ConditionCheck": "ConditionCheckItem"}  # fmt: skip
NO_ACTION = {"TransactWriteItems"}


@dataclass
class Adapter:
    """A class that talks to one AWS service through its own client."""

    qualname: str
    service: str
    node: ast.ClassDef
    module: Module
    _actions: dict[str, set[str]] = field(default_factory=dict)

    def methods(self) -> dict[str, ast.FunctionDef]:
        return {n.name: n for n in self.node.body if isinstance(n, ast.FunctionDef)}

    def actions(self, method: str) -> set[str]:
        """IAM actions (`dynamodb:GetItem`) `method` can cause, through whatever it reaches."""
        if method not in self._actions:
            self._actions[method] = {
                f"{signing_name(self.service)}:{op}" for op in self._operations(method)
            }
        return self._actions[method]

    def delegations(self, method: str) -> set[tuple[str, str]]:
        """(adapter, method) pairs `method` calls on adapters it holds as attributes."""
        out = set()
        for node in self._walk(method):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Attribute)
                    and is_self(node.func.value.value)):  # fmt: skip
                for other in receiver_types().get(node.func.value.attr.lstrip("_"), set()):
                    if other != self.qualname and node.func.attr in adapters()[other].methods():
                        out.add((other, node.func.attr))
        return out

    def _operations(self, method: str) -> set[str]:
        ops: set[str] = set()
        for node in self._walk(method):
            ops |= _operations_at(node, self.service)
        return ops

    def _walk(self, method: str) -> Iterator[ast.AST]:
        """Every node of `method` and of what it reaches, each reached definition once."""
        seen: set[str] = set()
        todo: list[tuple[ast.AST, Module]] = [(self.methods()[method], self.module)]
        while todo:
            node, module = todo.pop()
            for sub in ast.walk(node):
                yield sub
                for target in self._reached(sub, module):
                    if target[0] not in seen:
                        seen.add(target[0])
                        todo.append(target[1:])

    def _reached(self, node: ast.AST, module: Module) -> Iterator[tuple[str, ast.AST, Module]]:
        """Same-class methods (`self._finish`) and package helpers (`query_all`, TxnWriter)."""
        if isinstance(node, ast.Attribute) and is_self(node.value):
            method = self.methods().get(node.attr)
            if method is not None:
                yield f"{self.qualname}.{node.attr}", method, self.module
        qualname = module.names.get(node.id, "") if isinstance(node, ast.Name) else ""
        if qualname.startswith(STORE):
            found = definition(qualname)
            if found is not None:
                yield qualname, found[0], found[1]


@cache
def adapters() -> dict[str, Adapter]:
    """Every class outside the offline stack that creates a boto3 client, by qualified name."""
    out = {}
    for module in modules().values():
        if module.name.startswith(NOT_DEPLOYED):
            continue
        for node in module.tree.body:
            if isinstance(node, ast.ClassDef) and (service := _client_service(node)):
                out[f"{module.name}.{node.name}"] = Adapter(
                    f"{module.name}.{node.name}", service, node, module
                )
    return out


@cache
def signing_name(service: str) -> str:
    return str(botocore.session.get_session().get_service_model(service).signing_name)


@cache
def operation_names(service: str) -> dict[str, str]:
    """`get_item` -> `GetItem` for every operation of `service`."""
    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(op): op for op in model.operation_names}


def _operations_at(node: ast.AST, service: str) -> set[str]:
    """Operations `node` performs: a call on a client, a paginator, a transaction item."""
    ops: set[str] = set()
    known = operation_names(service)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        method = node.func.attr if last_name(node.func.value).endswith("client") else ""
        if method == "get_paginator" and isinstance(node.args[0], ast.Constant):
            method = str(node.args[0].value)
        ops |= {known[method]} if method in known else set()
    if isinstance(node, ast.Dict) and service == "dynamodb":
        for key in node.keys:
            if isinstance(key, ast.Constant) and key.value in TRANSACTION_ITEMS:
                ops.add(TRANSACTION_ITEMS[key.value])
    return {SAME_AS.get(op, op) for op in ops} - NO_ACTION


def _client_service(node: ast.ClassDef) -> str | None:
    for sub in ast.walk(node):
        if (isinstance(sub, ast.Call) and last_name(sub.func) == "client"
                and last_name(getattr(sub.func, "value", None)) == "boto3"
                and sub.args and isinstance(sub.args[0], ast.Constant)):  # fmt: skip
            return str(sub.args[0].value)
    return None


@cache
def receiver_types() -> dict[str, set[str]]:
    """Receiver name (leading underscores dropped) -> the adapters the code gives that name:
    annotations (`alerts: AlertStore`), keyword arguments (`alerts=AlertStore(...)`) and
    assignments (`store = SubscriptionStore(...)`)."""
    out: dict[str, set[str]] = {}
    kinds = {**{a: {a} for a in adapters()}, **_protocol_adapters()}
    for module in modules().values():
        names = module.names
        for node in ast.walk(module.tree):
            for name, type_name in _typed_names(node):
                found = kinds.get(resolve(names.get(type_name, "")), set())
                if found:
                    out.setdefault(name.lstrip("_"), set()).update(found)
    return out


def _protocol_adapters() -> dict[str, set[str]]:
    """Protocol qualname -> the adapters that have each of its methods, parameters alike
    (`memory: StoryMemory` is an ArticleStore)."""
    out = {}
    for module in modules().values():
        for node in module.tree.body:
            if isinstance(node, ast.ClassDef) and "Protocol" in map(last_name, node.bases):
                wanted = _signatures(node)
                out[f"{module.name}.{node.name}"] = {
                    name for name, adapter in adapters().items()
                    if wanted.items() <= _signatures(adapter.node).items()
                }  # fmt: skip
    return out


def _signatures(node: ast.ClassDef) -> dict[str, tuple[str, ...]]:
    return {
        n.name: tuple(a.arg for a in n.args.args + n.args.kwonlyargs)
        for n in node.body
        if isinstance(n, ast.FunctionDef)
    }


def _typed_names(node: ast.AST) -> Iterator[tuple[str, str]]:
    if isinstance(node, ast.arg) and node.annotation is not None:
        yield node.arg, annotation(node.annotation)
    elif isinstance(node, ast.AnnAssign):
        yield last_name(node.target), annotation(node.annotation)
    elif isinstance(node, ast.keyword) and node.arg and isinstance(node.value, ast.Call):
        yield node.arg, last_name(node.value.func)
    elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
        for target in node.targets:
            yield last_name(target), last_name(node.value.func)
