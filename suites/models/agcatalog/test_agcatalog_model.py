"""The reference model of the Cropwise Ag Catalog (seed 002; CONTRACT-DECISIONS.md, agcatalog), for
products, items and fertilizers: create, rename, delete, read, batch read and list, in any order.
It predicts name uniqueness per organisation (a taken name refused with the resource's code, a name
renamed away or deleted free again) and soft delete (404 afterwards, hidden from batch reads and
lists), and after every step compares the organisation's listing with what it holds.

Only the model's own entries are judged (a sandbox has its own); their names carry the sequence's
prefix, so sequences never collide, and few distinct names, so that they collide within one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from conformance.core.prediction import Prediction, ids_in_order
from conformance.drive import walk_pages
from conformance.stateful import ModelMachine

pytestmark = [pytest.mark.capability("stateful"), pytest.mark.writes, pytest.mark.only_api("agcatalog")]

RESOURCES = ("products", "items", "fertilizers")
NAMES = ("alpha", "beta", "gamma")
DUPLICATE = {"products": "ECPR001", "items": "ECIT002", "fertilizers": "ECFR001"}
NOT_FOUND = {"products": "ECPR002", "items": "ECIT001", "fertilizers": "ECFR002"}
ATTRIBUTE = {"products": "/indication", "items": "/category", "fertilizers": "/form"}
PICK = st.integers(0, 50)  # an entry of the model's, by position (printed as a number, not an id)


@dataclass
class Entry:
    number: int  # how the steps name it: "entry #2"
    id: str
    name: str
    body: dict[str, Any]
    deleted: bool = False
    fields: dict[str, Any] = field(default_factory=dict)


class CatalogModel(ModelMachine):
    def __init__(self) -> None:
        super().__init__()
        self.resource = str(self.world.params["resource"])
        self.ops = self.contract.profile.operations.resources[self.resource]
        self.param = self.contract.operation(self.ops.get).path_parameter_names()[0]
        self.entries: list[Entry] = []
        self.released: dict[str, str] = {}  # a name no entry holds now -> "deleted" or "renamed"

    # -- the model's own bookkeeping --------------------------------------------------------------

    def _name(self, short: str) -> str:
        return f"{self.prefix} {short}"

    def _holder(self, name: str, besides: Entry | None = None) -> Entry | None:
        return next((e for e in self.entries if e.name == name and not e.deleted and e is not besides), None)

    def _pick(self, index: int) -> Entry:
        return self.entries[index % len(self.entries)]

    def _fields(self, body: dict[str, Any]) -> dict[str, Any]:
        attribute = ATTRIBUTE[self.resource]
        return {"/name": body["name"], "/org_id": body["org_id"], attribute: body[attribute.lstrip("/")]}

    def _refused(self, codes: dict[str, str], why: str) -> tuple[Prediction, str]:
        code = self.rule(f"errors.codes[{codes[self.resource]}]")
        pointer = self.contract.profile.errors.code_pointer or "/code"
        return Prediction(tuple(code.status), {pointer: code.error}, why=why), code.key  # type: ignore[attr-defined]

    def _accepted(self, status: int, name: str, body: dict[str, Any], holder: str) -> tuple[Prediction, str]:
        """A write under a name: refused if another entry holds it, else accepted (a freed name)."""
        released = self.released.get(name)
        why = {"deleted": "its holder was deleted", "renamed": "its holder was renamed"}.get(
            released or "", "no entry holds it"
        )
        rule = "business.deleted_name_freed" if released == "deleted" else "stateful.rules.free_name_accepted"
        return Prediction((status,), self._fields(body), why=f"{name!r} is free: {why}"), rule

    # -- rules -------------------------------------------------------------------------------------

    @rule(short=st.sampled_from(NAMES))
    def create(self, short: str) -> None:
        name = self._name(short)
        body = {**self.client.example(self.ops.create), "name": name}
        answer = self.client.call(self.ops.create, json=body)
        holder = self._holder(name)
        if holder is not None:
            prediction, cited = self._refused(DUPLICATE, f"entry #{holder.number} holds {name!r}")
        else:
            prediction, cited = self._accepted(201, name, body, "create")
        self.expect(f"create {self.resource[:-1]} {name!r}", answer, prediction, cited)
        if answer.status == 201:
            entry = Entry(len(self.entries) + 1, str(answer.json()["id"]), name, body)
            self.entries.append(entry)
            self.released.pop(name, None)
            self.log[-1].action += f" (entry #{entry.number})"

    @precondition(lambda self: self.entries)
    @rule(index=PICK, short=st.sampled_from(NAMES))
    def rename(self, index: int, short: str) -> None:
        entry, name = self._pick(index), self._name(short)
        body = {**self.client.example(self.ops.update), "name": name}
        answer = self.client.call(self.ops.update, path_params={self.param: entry.id}, json=body)
        holder = self._holder(name, besides=entry)
        if entry.deleted:
            prediction, cited = self._refused(NOT_FOUND, f"entry #{entry.number} was deleted")
            cited = "business.deleted_entry_not_found"
        elif holder is not None:
            prediction, cited = self._refused(DUPLICATE, f"entry #{holder.number} holds {name!r}")
        elif name == entry.name:
            prediction = Prediction((200,), self._fields(body), why="its own name")
            cited = "stateful.rules.workflow_as_documented"
        else:
            prediction, cited = self._accepted(200, name, body, "rename")
        self.expect(f"rename entry #{entry.number} to {name!r}", answer, prediction, cited)
        if answer.status == 200 and entry.name != name:
            self.released[entry.name] = "renamed"
            self.released.pop(name, None)
            entry.name, entry.body = name, body

    @precondition(lambda self: self.entries)
    @rule(index=PICK)
    def delete(self, index: int) -> None:
        entry = self._pick(index)
        answer = self.client.call(self.ops.delete, path_params={self.param: entry.id})
        if entry.deleted:
            prediction, _ = self._refused(NOT_FOUND, f"entry #{entry.number} was deleted")
            cited = "business.deleted_entry_not_found"
        else:
            prediction = Prediction((204,), why="Delete Entry: a soft delete")
            cited = "stateful.rules.workflow_as_documented"
        self.expect(f"delete entry #{entry.number}", answer, prediction, cited)
        if answer.status == 204:
            entry.deleted = True
            if self._holder(entry.name) is None:
                self.released[entry.name] = "deleted"

    @precondition(lambda self: self.entries)
    @rule(index=PICK)
    def read(self, index: int) -> None:
        entry = self._pick(index)
        answer = self.client.call(self.ops.get, path_params={self.param: entry.id})
        if entry.deleted:
            prediction, _ = self._refused(NOT_FOUND, f"entry #{entry.number} was deleted")
            cited = "business.deleted_entry_not_found"
        else:
            fields = {"/id": entry.id, **self._fields(entry.body)}
            prediction = Prediction((200,), fields, why="Retrieve Entry: what the last write stored")
            cited = "stateful.rules.workflow_as_documented"
        self.expect(f"read entry #{entry.number}", answer, prediction, cited)

    @precondition(lambda self: self.entries)
    @rule(picks=st.lists(PICK, min_size=1, max_size=4), unknown=st.booleans())
    def batch_read(self, picks: list[int], unknown: bool) -> None:
        chosen = list(dict.fromkeys(self._pick(i).number for i in picks))
        asked = [self.entries[n - 1].id for n in chosen]
        if unknown:
            asked.insert(len(asked) // 2, self.client.made_up(str(uuid.uuid4())))
        answer = self.client.call(self.ops.batch_get, json={"ids": asked})
        live = [self.entries[n - 1].id for n in chosen if not self.entries[n - 1].deleted]
        prediction = Prediction(
            (200,),
            {f"/{self.resource}": ids_in_order(live)},
            why="request order, deleted and unknown left out",
        )
        label = ", ".join(f"#{n}" for n in chosen) + (" and an unknown id" if unknown else "")
        self.expect(f"batch read {label}", answer, prediction, "business.batch_in_request_order")

    @invariant()
    def listing_matches(self) -> None:
        if not self.entries:
            return
        pagination = self.contract.profile.pagination
        assert pagination is not None and self.ops.list is not None
        pages = walk_pages(
            self.client, self.ops.list, pagination, 50, items="/content", extra={"name": self.prefix}
        )
        live = {e.id: {"/name": e.name} for e in self.entries if not e.deleted}
        gone = [e.id for e in self.entries if e.deleted]
        action = f"list the organisation's {self.resource} named {self.prefix}…"
        self.expect_listing(
            action, pages, "stateful.rules.listing_shows_entries", items="/content", present=live
        )
        self.expect_listing(
            action, pages, "business.deleted_hidden", items="/content", absent=gone, log=False
        )


@pytest.mark.parametrize("resource", RESOURCES)
def test_catalog_answers_as_modelled(run_model, resource):
    run_model(CatalogModel, resource=resource)
