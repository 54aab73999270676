"""Ordered listings of a store's live entities, for pages that cost what the page holds: a length
kept up to date, slices and an entity's position by bisection, never the whole list built.

`Ordered` is the index the store maintains per (namespace, partition); `Listing` is the read-only
view a mock pages through (`VersionedStore.listing`), in the index's order or reversed. Positions
are looked up under the store's lock; an iteration resumes after the key it last gave, so it
neither repeats nor skips an entity when others are created or deleted meanwhile.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    from conformance.mocks.blocks.store import Entity

CHUNK = 64  # entities read per lock while iterating


class Ordered:
    """Entities sorted by a unique key (the store's order, then the creation sequence)."""

    def __init__(self) -> None:
        self.keys: list[Any] = []
        self.items: list[Entity] = []
        self.where: dict[str, Any] = {}  # entity id -> its key

    def add(self, entity: Entity, key: Any) -> None:
        if not self.keys or key > self.keys[-1]:  # the common case: created last, listed last
            self.keys.append(key)
            self.items.append(entity)
        else:
            at = bisect.bisect_left(self.keys, key)
            self.keys.insert(at, key)
            self.items.insert(at, entity)
        self.where[entity.id] = key

    def remove(self, entity_id: str) -> None:
        key = self.where.pop(entity_id)
        at = bisect.bisect_left(self.keys, key)
        del self.keys[at]
        del self.items[at]

    def index(self, entity_id: str) -> int | None:
        key = self.where.get(entity_id)
        return None if key is None else bisect.bisect_left(self.keys, key)


class Listing(Sequence["Entity"]):
    """The live entities of one partition of a namespace, in order (or reversed): `len`, indexing
    and slicing in O(log n + page), and `resume` for cursors. Entities are the store's own: read
    them, never change them."""

    def __init__(self, ordered: Ordered, lock: threading.RLock, *, reverse: bool = False) -> None:
        self._ordered = ordered
        self._lock = lock
        self.reverse = reverse

    def __len__(self) -> int:
        return len(self._ordered.items)

    @overload
    def __getitem__(self, index: int) -> Entity: ...

    @overload
    def __getitem__(self, index: slice) -> list[Entity]: ...

    def __getitem__(self, index: int | slice) -> Entity | list[Entity]:
        with self._lock:
            items = self._ordered.items
            n = len(items)
            if isinstance(index, int):
                at = index + n if index < 0 else index
                if not 0 <= at < n:
                    raise IndexError("listing index out of range")
                return items[n - 1 - at] if self.reverse else items[at]
            positions = range(n)[index]
            if positions.step == 1:
                if not self.reverse:
                    return items[positions.start : positions.stop]
                return items[n - positions.stop : n - positions.start][::-1]
            return [items[n - 1 - i] if self.reverse else items[i] for i in positions]

    def __iter__(self) -> Iterator[Entity]:
        with self._lock:
            start = len(self._ordered.items) - 1 if self.reverse else 0
        return self._from(start)

    def position(self, entity_id: str) -> int | None:
        """Where the entity is in this listing; None if it is not in it (deleted, elsewhere)."""
        with self._lock:
            at = self._ordered.index(entity_id)
            if at is None:
                return None
            return len(self._ordered.items) - 1 - at if self.reverse else at

    def resume(self, entity_id: str) -> Iterator[Entity] | None:
        """The entities from `entity_id` on (it first), or None if it is not in this listing."""
        with self._lock:
            at = self._ordered.index(entity_id)
        return None if at is None else self._from(at)

    def _from(self, at: int) -> Iterator[Entity]:
        """From the index `at` of the underlying order, in this listing's direction, a chunk per lock."""
        ordered = self._ordered
        while True:
            with self._lock:
                if self.reverse:
                    chunk = ordered.items[max(at - CHUNK + 1, 0) : at + 1][::-1] if at >= 0 else []
                else:
                    chunk = ordered.items[at : at + CHUNK]
                if not chunk:
                    return
                last = ordered.where[chunk[-1].id]  # resumed after its key, even if it goes meanwhile
            yield from chunk
            with self._lock:
                if self.reverse:
                    at = bisect.bisect_left(ordered.keys, last) - 1
                else:
                    at = bisect.bisect_right(ordered.keys, last)
