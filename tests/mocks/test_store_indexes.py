"""The store's indexes: `find` by an indexed field, and the ordered listings (`listing`)."""

from __future__ import annotations

import pytest

from conformance.mocks.blocks.clock import VirtualClock
from conformance.mocks.blocks.store import VersionedStore


def _names(entities: list) -> list[str]:
    return [e.data["name"] for e in entities]


def test_find_follows_creates_updates_deletes_and_clear():
    store = VersionedStore(VirtualClock().now, indexed=("name",))
    a = store.create("products", {"name": "A", "org": "1"})
    store.create("products", {"name": "B", "org": "1"})
    store.create("items", {"name": "A", "org": "1"})
    assert [e.id for e in store.find("products", "name", "A")] == [a.id]
    store.replace("products", a.id, {"name": "C", "org": "1"}, expected_version=None)
    assert store.find("products", "name", "A") == []
    assert _names(store.find("products", "name", "C")) == ["C"]
    store.update_fields("products", a.id, {"name": "D"})
    assert store.find("products", "name", "C") == [] and len(store.find("products", "name", "D")) == 1
    store.soft_delete("products", a.id)
    assert store.find("products", "name", "D") == []
    assert [e.id for e in store.find("products", "name", "D", include_deleted=True)] == [a.id]
    store.overwrite("products", a.id, {"name": "E", "org": "1"})
    assert store.find("products", "name", "D", include_deleted=True) == []
    assert [e.id for e in store.find("products", "name", "E")] == [a.id]
    again = store.create("products", {"name": "F", "org": "1"}, entity_id=a.id)  # the id created again
    assert store.find("products", "name", "E", include_deleted=True) == []
    assert store.find("products", "name", "F") == [again]
    assert store.find("products", "name", ["unhashable"]) == []
    store.clear()
    assert store.find("items", "name", "A") == [] and not store.exists_anywhere(a.id)


def test_find_refuses_a_field_that_is_not_indexed():
    store = VersionedStore(VirtualClock().now, indexed=("name",))
    with pytest.raises(ValueError, match="not indexed"):
        store.find("products", "org", "1")


def test_exists_anywhere_sees_every_namespace():
    store = VersionedStore(VirtualClock().now)
    store.create("a", {}, entity_id="x")
    store.create("a", {}, entity_id="x")
    assert store.exists_anywhere("x") and not store.exists_anywhere("y")
