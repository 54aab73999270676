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


def _ids(entities) -> list[str]:
    return [e.id for e in entities]


def test_listing_is_the_live_list_in_order_per_partition():
    clock = VirtualClock()
    store = VersionedStore(clock.now, partition=lambda data: data.get("org"))
    made = [store.create("p", {"org": "1" if i % 3 else "2", "n": i}) for i in range(20)]
    ours = [e for e in made if e.data["org"] == "1"]
    listing = store.listing("p", "1")
    assert len(listing) == len(ours) and _ids(listing) == _ids(ours)
    assert _ids(listing[2:5]) == _ids(ours[2:5]) and listing[-1] is ours[-1]
    assert _ids(listing[::2]) == _ids(ours[::2]) and _ids(listing[50:60]) == []
    newest = store.listing("p", "1", reverse=True)
    assert _ids(newest) == _ids(ours[::-1]) and _ids(newest[1:4]) == _ids(ours[::-1][1:4])
    assert _ids(newest[-3:]) == _ids(ours[::-1][-3:])
    store.soft_delete("p", ours[1].id)
    assert (
        ours[1].id not in _ids(store.listing("p", "1"))
        and store.listing("p", "1").position(ours[1].id) is None
    )
    store.replace("p", ours[2].id, {"org": "2", "n": 2}, expected_version=None)  # moves partition
    assert ours[2].id in _ids(store.listing("p", "2")) and ours[2].id not in _ids(store.listing("p", "1"))
    store.replace("p", ours[2].id, {"org": "1", "n": 2}, expected_version=None)  # back, in its place
    assert _ids(store.listing("p", "1")) == [e.id for e in ours if e is not ours[1]]
    store.overwrite("p", ours[1].id, {"org": "1"})  # undeleted, in its place again
    assert _ids(store.listing("p", "1")) == _ids(ours)
    again = store.create("p", {"org": "1"}, entity_id=ours[0].id)  # an id created again goes last
    assert _ids(store.listing("p", "1")) == [*_ids(ours[1:]), again.id]
    assert store.count("p") == len(store.list("p")) and len(store.listing("p", "none")) == 0


def test_listing_in_a_custom_order_then_creation_order():
    store = VersionedStore(VirtualClock().now, order=lambda data: data["at"])
    made = [store.create("b", {"at": f"2024-01-0{1 + i % 3}"}) for i in range(9)]
    expected = sorted(made, key=lambda e: (e.data["at"], e.seq))
    assert _ids(store.listing("b")) == _ids(expected)
    assert _ids(store.listing("b", reverse=True)[0:4]) == _ids(expected[::-1][0:4])
    assert [store.listing("b").position(e.id) for e in expected] == list(range(9))


def test_listing_iteration_resumes_after_changes_meanwhile():
    store = VersionedStore(VirtualClock().now)
    made = [store.create("n", {"i": i}) for i in range(200)]
    resumed = store.listing("n").resume(made[10].id)
    assert resumed is not None
    seen = [next(resumed) for _ in range(70)]  # into the second chunk
    store.soft_delete("n", made[5].id)  # before: shifts every position, not what follows
    store.soft_delete("n", made[150].id)  # ahead, past the chunk read: skipped
    rest = list(resumed)
    assert _ids(seen + rest) == [e.id for e in made[10:] if e is not made[150]]
    newest = iter(store.listing("n", reverse=True))
    first = [next(newest) for _ in range(65)]
    store.create("n", {"i": "new"})  # after the start of a newest-first walk: not in it
    assert len(first) + len(list(newest)) == 198
    assert store.listing("n").resume("unknown") is None
