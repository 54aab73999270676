"""A versioned entity store with compare-and-set updates, safe under concurrent requests."""

from __future__ import annotations

import copy
import itertools
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class NotFound(LookupError):
    pass


class VersionConflict(Exception):
    def __init__(self, current: int, expected: int) -> None:
        super().__init__(f"version is {current}, not {expected}")
        self.current = current
        self.expected = expected


@dataclass
class Entity:
    id: str
    version: int
    data: dict[str, Any]
    namespace: str
    seq: int
    created_at: float
    updated_at: float
    deleted: bool = False

    def view(self, version_field: str = "version") -> dict[str, Any]:
        return {"id": self.id, **copy.deepcopy(self.data), version_field: self.version}


class VersionedStore:
    """Entities per namespace (e.g. tenant + resource). `replace` is atomic: of several writers
    holding the same version, exactly one wins."""

    def __init__(self, clock: Callable[[], float], *, initial_version: int = 1, increment: int = 1) -> None:
        self.clock = clock
        self.initial_version = initial_version
        self.increment = increment
        self._entities: dict[tuple[str, str], Entity] = {}
        # per namespace, in creation order (= seq order): a list reads its namespace only, unsorted
        self._by_namespace: dict[str, dict[str, Entity]] = {}
        self._seq = itertools.count(1)
        self._lock = threading.RLock()

    def create(self, namespace: str, data: dict[str, Any], entity_id: str | None = None) -> Entity:
        with self._lock:
            eid = entity_id or str(uuid.uuid4())
            now = self.clock()
            entity = Entity(
                eid, self.initial_version, copy.deepcopy(data), namespace, next(self._seq), now, now
            )
            self._entities[(namespace, eid)] = entity
            members = self._by_namespace.setdefault(namespace, {})
            members.pop(eid, None)  # an id created again goes last, as its new seq says
            members[eid] = entity
            return entity

    def get(self, namespace: str, entity_id: str, *, include_deleted: bool = False) -> Entity:
        with self._lock:
            entity = self._entities.get((namespace, entity_id))
            if entity is None or (entity.deleted and not include_deleted):
                raise NotFound(entity_id)
            return entity

    def exists_anywhere(self, entity_id: str) -> bool:
        with self._lock:
            return any(eid == entity_id for _, eid in self._entities)

    def replace(
        self,
        namespace: str,
        entity_id: str,
        data: dict[str, Any],
        *,
        expected_version: int | None,
        bump: bool = True,
    ) -> Entity:
        with self._lock:
            entity = self.get(namespace, entity_id)
            if expected_version is not None and expected_version != entity.version:
                raise VersionConflict(entity.version, expected_version)
            entity.data = copy.deepcopy(data)
            if bump:
                entity.version += self.increment
            entity.updated_at = self.clock()
            return entity

    def read_version(self, namespace: str, entity_id: str) -> int:
        with self._lock:
            return self.get(namespace, entity_id).version

    def write_unchecked(self, namespace: str, entity_id: str, data: dict[str, Any], version: int) -> Entity:
        """Write without compare-and-set (used only by a fault that simulates a lost update)."""
        with self._lock:
            entity = self.get(namespace, entity_id)
            entity.data = copy.deepcopy(data)
            entity.version = version
            entity.updated_at = self.clock()
            return entity

    def update_fields(self, namespace: str, entity_id: str, changes: dict[str, Any]) -> Entity:
        with self._lock:
            entity = self.get(namespace, entity_id)
            entity.data.update(copy.deepcopy(changes))
            entity.version += self.increment
            entity.updated_at = self.clock()
            return entity

    def soft_delete(self, namespace: str, entity_id: str) -> Entity:
        with self._lock:
            entity = self.get(namespace, entity_id)
            entity.deleted = True
            entity.updated_at = self.clock()
            return entity

    def list(
        self,
        namespace: str,
        predicate: Callable[[Entity], bool] | None = None,
        *,
        include_deleted: bool = False,
    ) -> list[Entity]:
        with self._lock:
            members = list(self._by_namespace.get(namespace, {}).values())  # already in seq order
        return [
            e for e in members if (include_deleted or not e.deleted) and (predicate is None or predicate(e))
        ]

    def clear(self) -> None:
        with self._lock:
            self._entities.clear()
            self._by_namespace.clear()
