"""Safe by construction against live targets: no write without --allow-writes, never a change to
an entity this run did not create, a per-run request budget, and a ledger of what the run created
that is deleted again at the end (where the API can delete)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from conformance.client import ApiClient, PlannedCall
from conformance.contracts import Contract
from conformance.contracts.models import Resource
from conformance.core import Exchange, jsonpointer

if TYPE_CHECKING:
    from conformance.targets.target import Target


class UnsafeRequest(PermissionError):
    """The harness refused to send a request that could harm a live target; the message says why."""


class BudgetExhausted(RuntimeError):
    """The run has sent as many requests to this API as its budget allows."""

    def __init__(self, api: str, budget: int) -> None:
        super().__init__(f"the request budget of {budget} for {api} is spent: the run stops here")
        self.api = api
        self.budget = budget


class BudgetTransport(httpx.BaseTransport):
    """Counts every request to one API (token calls included) and refuses the one past the budget."""

    def __init__(self, inner: httpx.BaseTransport, api: str, budget: int) -> None:
        self.inner = inner
        self.api = api
        self.budget = budget
        self.sent = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            if self.sent >= self.budget:
                raise BudgetExhausted(self.api, self.budget)
            self.sent += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Created:
    resource: str
    entity_id: str
    by: str  # the operation that created it


@dataclass
class Ledger:
    """What this run created on the target, and the ids it made up (random ids that never existed)."""

    created: list[Created] = field(default_factory=list)
    fabricated: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, resource: str, entity_id: str, by: str) -> None:
        with self._lock:
            self.created.append(Created(resource, entity_id, by))

    def owns(self, entity_id: str) -> bool:
        with self._lock:
            return entity_id in self.fabricated or any(c.entity_id == entity_id for c in self.created)


def _roles(contract: Contract) -> dict[str, list[tuple[str, str, Resource]]]:
    """operationId -> [(role, resource name, resource)] for the roles that create or change."""
    out: dict[str, list[tuple[str, str, Resource]]] = {}
    for name, resource in contract.profile.operations.resources.items():
        for role in ("create", "update", "delete"):
            op = getattr(resource, role)
            if op:
                out.setdefault(op, []).append((role, name, resource))
        for write in resource.modifies:
            out.setdefault(write.operation, []).append((f"modifies {write.id_at}", name, resource))
    return out


class LiveGuard:
    """The call guard of a live target (see `ApiClient.guard`)."""

    def __init__(self, contract: Contract, ledger: Ledger, *, allow_writes: bool) -> None:
        self.contract = contract
        self.ledger = ledger
        self.allow_writes = allow_writes
        self._roles = _roles(contract)

    def before_call(self, call: PlannedCall) -> None:
        op = call.operation_id
        own_method = call.method == self._method(op)
        read = self.contract.is_read(op) and (own_method or call.method in ("GET", "HEAD", "OPTIONS"))
        if not read and not self.allow_writes:
            raise UnsafeRequest(
                f"{op} ({call.method}) writes data: a live run writes only with --allow-writes"
            )
        for role, name, _ in self._roles.get(op, []):
            if role == "create":
                continue
            entity_id = self._entity_id(op, role, call)
            if entity_id is not None and not self.ledger.owns(entity_id):
                raise UnsafeRequest(f"{op} would change {name} {entity_id}, which this run did not create")
        if not read and not own_method:  # another method probed on a path: only on ids the run owns
            for name in self._entity_params(op):
                value = call.path_params.get(name)
                if value is not None and not self.ledger.owns(value):
                    raise UnsafeRequest(f"{call.method} on {op} for {value}, which this run did not create")

    def fabricated(self, value: str) -> None:
        self.ledger.fabricated.add(value)

    def _entity_params(self, operation_id: str) -> list[str]:
        """Path parameters naming an entity (not the tenant or organisation the config fills)."""
        names = self.contract.operation(operation_id).path_parameter_names()
        return [n for n in names if n not in self.contract.profile.path_params]

    def _method(self, operation_id: str) -> str:
        return self.contract.operation(operation_id).method

    def _entity_id(self, op: str, role: str, call: PlannedCall) -> str | None:
        if role.startswith("modifies "):
            where = role.removeprefix("modifies ")
            if where.startswith("{") and where.endswith("}"):
                value = call.path_params.get(where[1:-1])
            else:
                value = jsonpointer.get(call.body, where)
            return None if value is None else str(value)
        own = self._entity_params(op)
        if own:
            return str(call.path_params.get(own[-1], "")) or None
        value = call.query.get("id")
        return None if value is None else str(value)

    def after_call(self, operation_id: str, exchange: Exchange) -> None:
        if not exchange.ok:
            return
        for role, name, resource in self._roles.get(operation_id, []):
            if role == "create":
                entity_id = exchange.json_at(resource.id_pointer)
                if entity_id is not None:
                    self.ledger.add(name, str(entity_id), operation_id)


@dataclass
class CleanUp:
    deleted: list[Created] = field(default_factory=list)
    failed: list[tuple[Created, str]] = field(default_factory=list)  # and why
    kept: list[Created] = field(default_factory=list)  # the API has no delete for them

    def events(self, api: str) -> list[dict[str, str]]:
        """The clean-up as report events: what was deleted, and what is left behind and why."""
        out = [
            {"kind": "deleted", "message": f"{api}: deleted {c.resource} {c.entity_id} (created by {c.by})"}
            for c in self.deleted
        ]
        out += [
            {"kind": "left behind", "message": f"{api}: could not delete {c.resource} {c.entity_id}: {why}"}
            for c, why in self.failed
        ]
        out += [
            {
                "kind": "left behind",
                "message": f"{api}: {c.resource} {c.entity_id} (created by {c.by}) stays: "
                "the API documents no delete",
            }
            for c in self.kept
        ]
        return out


def clean_up(target: Target, client: ApiClient) -> CleanUp:
    """Delete every entity the run created where the API can delete, newest first."""
    done = CleanUp()
    resources = target.contract.profile.operations.resources
    for created in reversed(target.ledger.created):
        resource = resources[created.resource]
        if resource.delete is None:
            done.kept.append(created)
            continue
        names = target.contract.operation(resource.delete).path_parameter_names()
        own = [n for n in names if n not in target.contract.profile.path_params]
        kwargs: dict[str, object] = (
            {"path_params": {own[-1]: created.entity_id}} if own else {"params": {"id": created.entity_id}}
        )
        if resource.credentials == "admin_session":
            cookie = target.admin_cookie()
            if not cookie:
                done.failed.append((created, "needs the admin session cookie"))
                continue
            kwargs |= {"headers": {"Cookie": cookie}, "auth": False}
        try:
            answer = client.call(resource.delete, **kwargs)  # type: ignore[arg-type]
        except (httpx.HTTPError, UnsafeRequest, BudgetExhausted) as exc:
            done.failed.append((created, f"{type(exc).__name__}: {exc}"))
            continue
        if answer.ok or answer.status == 404:
            done.deleted.append(created)
        else:
            done.failed.append((created, answer.summary()))
    return done
