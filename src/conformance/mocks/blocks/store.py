"""A versioned entity store with compare-and-set updates, safe under concurrent requests."""

from __future__ import annotations

import copy
import itertools
import threading
import uuid
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from typing import Any

from conformance.mocks.blocks.listing import Listing, Ordered


def json_copy(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, strings, numbers, booleans, null), several times
    faster than `copy.deepcopy` (no memo: JSON has neither cycles nor shared parts that matter);
    anything else in it is deep-copied."""
    kind = type(value)
    if kind is dict:
        return {k: json_copy(v) for k, v in value.items()}
    if kind is list:
        return [json_copy(v) for v in value]
    if kind in _SCALARS:
        return value
    return copy.deepcopy(value)


_SCALARS = frozenset({str, int, float, bool, type(None)})


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
        return {"id": self.id, **json_copy(self.data), version_field: self.version}


class VersionedStore:
    """Entities per namespace (e.g. tenant + resource). `replace` is atomic: of several writers
    holding the same version, exactly one wins.

    Indexes, kept current by every write through the store (so an entity's data must not be
    changed behind its back): `indexed` names data fields to `find` entities by; and the live
    entities of each namespace are kept in order per partition for `listing` (pages without the
    whole list): `partition(data)` says which (default: one per namespace), `order(data)` sorts
    them (then the creation sequence; default: the creation sequence alone)."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        initial_version: int = 1,
        increment: int = 1,
        indexed: Collection[str] = (),
        partition: Callable[[dict[str, Any]], Hashable] | None = None,
        order: Callable[[dict[str, Any]], Any] | None = None,
    ) -> None:
        self.clock = clock
        self.initial_version = initial_version
        self.increment = increment
        self.indexed = tuple(indexed)
        self._partition = partition
        self._order = order
        self._ordered: dict[tuple[str, Hashable], Ordered] = {}  # (namespace, partition) -> live entities
        self._placed: dict[tuple[str, str], tuple[Hashable, Any]] = {}  # entity -> (partition, order key)
        self._entities: dict[tuple[str, str], Entity] = {}
        # per namespace, in creation order (= seq order): a list reads its namespace only, unsorted
        self._by_namespace: dict[str, dict[str, Entity]] = {}
        self._id_uses: dict[str, int] = {}  # entity id -> how many namespaces hold it
        # (namespace, field, value) -> the entities (deleted too) whose data holds that value
        self._index: dict[tuple[str, str, Hashable], dict[str, Entity]] = {}
        self._seq = itertools.count(1)
        self._lock = threading.RLock()

    def create(self, namespace: str, data: dict[str, Any], entity_id: str | None = None) -> Entity:
        with self._lock:
            eid = entity_id or str(uuid.uuid4())
            now = self.clock()
            entity = Entity(eid, self.initial_version, json_copy(data), namespace, next(self._seq), now, now)
            replaced = self._entities.get((namespace, eid))
            if replaced is None:
                self._id_uses[eid] = self._id_uses.get(eid, 0) + 1
            else:
                self._unindex(replaced)
            self._entities[(namespace, eid)] = entity
            members = self._by_namespace.setdefault(namespace, {})
            members.pop(eid, None)  # an id created again goes last, as its new seq says
            members[eid] = entity
            self._reindex(entity)
            return entity

    def get(self, namespace: str, entity_id: str, *, include_deleted: bool = False) -> Entity:
        with self._lock:
            entity = self._entities.get((namespace, entity_id))
            if entity is None or (entity.deleted and not include_deleted):
                raise NotFound(entity_id)
            return entity

    def exists_anywhere(self, entity_id: str) -> bool:
        with self._lock:
            return entity_id in self._id_uses

    def find(self, namespace: str, field: str, value: Any, *, include_deleted: bool = False) -> list[Entity]:
        """The entities of `namespace` whose `data[field] == value`, in creation order; `field`
        must be one of the store's `indexed` fields."""
        if field not in self.indexed:
            raise ValueError(f"field {field!r} is not indexed; indexed: {list(self.indexed)}")
        if not _hashable(value):
            return []  # no indexed value equals it (unhashable values are not indexed)
        with self._lock:
            found = self._index.get((namespace, field, value), {})
            return [e for e in found.values() if include_deleted or not e.deleted]

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
            self._unindex(entity)
            entity.data = json_copy(data)
            self._reindex(entity)
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
            self._unindex(entity)
            entity.data = json_copy(data)
            self._reindex(entity)
            entity.version = version
            entity.updated_at = self.clock()
            return entity

    def update_fields(self, namespace: str, entity_id: str, changes: dict[str, Any]) -> Entity:
        with self._lock:
            entity = self.get(namespace, entity_id)
            self._unindex(entity)
            entity.data.update(json_copy(changes))
            self._reindex(entity)
            entity.version += self.increment
            entity.updated_at = self.clock()
            return entity

    def overwrite(self, namespace: str, entity_id: str, data: dict[str, Any]) -> Entity:
        """Put `data` in the entity, deleted or not, and undelete it: no version bump, no new
        timestamp (used only by a fault that lets a create overwrite an existing id)."""
        with self._lock:
            entity = self.get(namespace, entity_id, include_deleted=True)
            self._unindex(entity)
            entity.data, entity.deleted = data, False
            self._reindex(entity)
            return entity

    def soft_delete(self, namespace: str, entity_id: str) -> Entity:
        with self._lock:
            entity = self.get(namespace, entity_id)
            entity.deleted = True
            self._place(entity)
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

    def listing(self, namespace: str, partition: Hashable = None, *, reverse: bool = False) -> Listing:
        """The live entities of one partition of `namespace` in order (or reversed), as a sequence
        whose length, slices and positions cost O(log n + page) (`blocks.listing`)."""
        with self._lock:
            ordered = self._ordered.get((namespace, partition)) or Ordered()
        return Listing(ordered, self._lock, reverse=reverse)

    def count(self, namespace: str) -> int:
        """How many live entities `namespace` holds (every partition)."""
        with self._lock:
            return sum(len(o.items) for (ns, _), o in self._ordered.items() if ns == namespace)

    def clear(self) -> None:
        with self._lock:
            self._entities.clear()
            self._by_namespace.clear()
            self._id_uses.clear()
            self._index.clear()
            self._ordered.clear()
            self._placed.clear()

    def _reindex(self, entity: Entity) -> None:
        for key in _index_keys(entity, self.indexed):
            self._index.setdefault(key, {})[entity.id] = entity
        self._place(entity)

    def _place(self, entity: Entity) -> None:
        """Keep the entity's place in the ordered listings (none while it is deleted)."""
        where = (entity.namespace, entity.id)
        old = self._placed.get(where)
        new = None
        if not entity.deleted:
            part = self._partition(entity.data) if self._partition else None
            new = (part, (self._order(entity.data), entity.seq) if self._order else entity.seq)
        if old == new:
            return
        if old is not None:
            self._ordered[(entity.namespace, old[0])].remove(entity.id)
            del self._placed[where]
        if new is not None:
            self._ordered.setdefault((entity.namespace, new[0]), Ordered()).add(entity, new[1])
            self._placed[where] = new

    def _unindex(self, entity: Entity) -> None:
        for key in _index_keys(entity, self.indexed):
            holders = self._index.get(key, {})
            if holders.get(entity.id) is entity:
                del holders[entity.id]
                if not holders:
                    del self._index[key]


def _index_keys(entity: Entity, fields: tuple[str, ...]) -> list[tuple[str, str, Hashable]]:
    values = ((field, entity.data.get(field)) for field in fields)
    return [(entity.namespace, field, value) for field, value in values if _hashable(value)]


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
