"""The CartonCloud mock's control plane (not part of any contract): seeding reference data with
given ids, names and codes (so vendor-written bodies resolve), seeding orders and consignments in
bulk with varied customers, statuses and dates, and setting an entity's status (webhooks follow)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from conformance.mocks.blocks.errors import MockHTTPError
from conformance.mocks.blocks.store import NotFound
from conformance.mocks.cartoncloud._constants import MILESTONES, RESOURCES, TENANT_ID, TENANTS
from conformance.mocks.cartoncloud._reference import ReferenceProblem, iso, summary, timestamps
from conformance.mocks.cartoncloud._validation import Validation, apply_status

REFERENCE_RESOURCES = {"customers": "customers", "warehouses": "warehouses", "warehouse-products": "products"}
SEEDABLE = sorted([*REFERENCE_RESOURCES, *RESOURCES])
SPACING = 5 * 3600  # seeded entities were created this far apart, the last one now
SEED_STATUSES = {
    "inbound-orders": ("DRAFT", "AWAITING_ARRIVAL", "RECEIVED", "VERIFIED", "ALLOCATED"),
    "outbound-orders": ("DRAFT", "AWAITING_PICK_AND_PACK", "PACKING_IN_PROGRESS", "PACKED", "DISPATCHED"),
    "consignments": ("DRAFT", "AWAITING_PICKUP", "IN_TRANSIT_PICK_DELIVERY", "DELIVERED"),
}
CONSIGNMENT_TYPES = ("DELIVERY", "PICKUP", "RETURNED", "POINT_TO_POINT")
RUN_SHEET_STATUSES = ("DRAFT", "READY_TO_BUILD", "BUILDING", "BUILT", "READY_FOR_DELIVERY")
DRIVERS = ("Dana Driver", "Sam Wheeler", "Alex Kerb")
PRODUCT_NAMES = ("Chocolate Ice Cream", "Frozen Peas", "Vanilla Tub", "Fish Fingers", "Mango Sorbet")


def _uid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"cartoncloud-mock/{name}"))


def _bad(message: str) -> MockHTTPError:
    return MockHTTPError(400, {"error": message})


class Control(Validation):
    def seed(self, payload: dict[str, Any]) -> dict[str, Any]:
        segment = str(payload.get("resource", "")).replace("_", "-")
        segment = "warehouse-products" if segment == "products" else segment
        tenant = payload.get("tenant", TENANT_ID)
        if segment not in SEEDABLE:
            raise _bad(f"'resource' must be one of {SEEDABLE}")
        if tenant not in TENANTS:
            raise _bad(f"'tenant' must be one of {list(TENANTS)}")
        items, count = payload.get("items"), payload.get("count", 1)
        if items is not None:
            if segment not in REFERENCE_RESOURCES or not isinstance(items, list):
                raise _bad(f"'items' (a list) seeds one of {sorted(REFERENCE_RESOURCES)}")
            ids = [self._seed_reference(tenant, segment, item, i) for i, item in enumerate(items)]
        elif not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 1000:
            raise _bad("'count' must be an integer 0..1000")
        elif segment in REFERENCE_RESOURCES:
            ids = [self._generated_reference(tenant, segment, i, count) for i in range(count)]
        else:
            prefixes = payload.get("customers") or ["SEED"]
            ids = [
                self._generated_order(tenant, segment, i, count, str(prefixes[i % len(prefixes)]))
                for i in range(count)
            ]
        return {"resource": segment, "tenant": tenant, "ids": ids}

    def _seed_reference(self, tenant: str, segment: str, item: Any, index: int) -> str:
        kind = REFERENCE_RESOURCES[segment]
        where = f"items[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
            raise _bad(f"{where}: each item is an object with a 'name'")
        code = (
            (item.get("references") or {}).get("code") if isinstance(item.get("references"), dict) else None
        )
        if kind != "warehouses" and not isinstance(code, str):
            raise _bad(f"{where}: a {segment[:-1]} needs 'references': {{'code': ...}}")
        if kind == "customers" and self.refdata.code_taken(tenant, kind, code):
            raise _bad(f"{where}: a customer with code {code!r} already exists")
        record = dict(item)
        if kind == "products":
            record.setdefault("customer", summary(self.refdata.all(tenant, "customers")[0]))
        try:
            return self.refdata.add(tenant, kind, record).id
        except ReferenceProblem as exc:
            raise _bad(f"{where}: {exc}") from None

    def _generated_reference(self, tenant: str, segment: str, index: int, count: int) -> str:
        kind = REFERENCE_RESOURCES[segment]
        serial = len(self.refdata.all(tenant, kind))
        created = self.clock.now() - (count - 1 - index) * SPACING
        if kind == "customers":
            record: dict[str, Any] = {
                "name": f"Seeded Customer {serial:04d}",
                "references": {"code": f"SEED{serial:05d}"},
            }
        elif kind == "warehouses":
            record = {"name": f"Seeded Warehouse {serial:04d}"}
        else:
            customers = self.refdata.all(tenant, "customers")
            record = {
                "name": f"{PRODUCT_NAMES[index % len(PRODUCT_NAMES)]} {serial:04d}",
                "references": {"code": f"WP-{serial:05d}"},
                "customer": summary(customers[index % len(customers)]),
                "details": {"active": index % 4 != 3},
            }
        entity = self.refdata.add(tenant, kind, record)
        entity.data["timestamps"] = timestamps(created)
        return entity.id

    def _generated_order(self, tenant: str, segment: str, index: int, count: int, prefix: str) -> str:
        """One of `count` varied entities: customers, warehouses and statuses in turn, created
        SPACING apart (so dates and times differ), dated details, milestones where the status says."""
        default_type, _, _, _, _ = RESOURCES[segment]
        customers = self.refdata.all(tenant, "customers")
        warehouses = self.refdata.all(tenant, "warehouses")
        created = self.clock.now() - (count - 1 - index) * SPACING
        day = dt.datetime.fromtimestamp(created + 2 * 86400, dt.UTC).date().isoformat()
        status = SEED_STATUSES[segment][index % len(SEED_STATUSES[segment])]
        data: dict[str, Any] = {
            "type": default_type,
            "status": status,
            "references": {"customer": f"{prefix}-{index:04d}"},
            "customer": summary(customers[index % len(customers)]),
            "details": {"urgent": index % 3 == 0},
            "items": [],
            "timestamps": timestamps(created),
        }
        if segment != "consignments":
            data["warehouse"] = summary(warehouses[index % len(warehouses)])
        if segment == "inbound-orders":
            data["details"]["arrivalDate"] = day
        elif segment == "outbound-orders":
            data["details"]["deliver"] = {"address": {"city": "Metropolis"}, "requiredDate": day}
            reached = [
                m for s, m in MILESTONES.items() if SEED_STATUSES[segment].index(status) >= _rank(segment, s)
            ]
            for hours, milestone in enumerate(reached, start=1):
                data["timestamps"][milestone] = {"time": iso(created + hours * 3600)}
        else:
            data["details"]["type"] = CONSIGNMENT_TYPES[index % len(CONSIGNMENT_TYPES)]
            data["details"]["deliver"] = {"address": {"city": "Metropolis"}, "requiredDate": day}
            if index % 2 == 0:  # every other one is on a run sheet, with a driver and a delivery run
                run = index // 4
                data["runSheet"] = {"id": _uid(f"run-sheet/{run}"), "name": f"Run sheet {run}", "date": day,
                                    "status": RUN_SHEET_STATUSES[run % len(RUN_SHEET_STATUSES)]}  # fmt: skip
                data["driver"] = {"id": _uid(f"driver/{run % 3}"), "name": DRIVERS[run % 3]}
                data["deliveryRun"] = {"id": _uid(f"delivery-run/{run}"), "name": f"Delivery run {run}"}
            if index % 3 == 0:
                data["generatedFromTask"] = {"id": _uid(f"task/{index}")}
        return self.store.create(f"{tenant}/{segment}", data).id

    def set_status(self, payload: dict[str, Any]) -> dict[str, Any]:
        segment = str(payload.get("resource", "")).replace("_", "-")
        eid, status = payload.get("id"), payload.get("status")
        tenant = payload.get("tenant", TENANT_ID)
        if segment not in RESOURCES or not isinstance(eid, str) or not isinstance(status, str):
            raise _bad(f"need 'resource' (one of {sorted(RESOURCES)}), 'id' and 'status'")
        if status not in RESOURCES[segment][4]:
            raise _bad(f"{status!r} is not a {segment} status; one of {list(RESOURCES[segment][4])}")
        namespace = f"{tenant}/{segment}"
        try:
            current = self.store.get(namespace, eid)
        except NotFound:
            raise MockHTTPError(404, {"error": f"no {segment} {eid} in tenant {tenant}"}) from None
        before = current.data.get("status")
        data = {**current.data, "timestamps": dict(current.data.get("timestamps", {}))}
        now = self.clock.now()
        apply_status(data, status, now)
        data["timestamps"]["modified"] = {"time": iso(now)}
        entity = self.store.replace(namespace, eid, data, expected_version=None)
        shown = entity.view()
        if self.fault("webhook_partial_payload"):
            shown = {"id": shown["id"], "status": shown["status"]}
        if self.fault("webhook_summary_payload"):
            shown = {"id": shown["id"], "status": shown["status"], "version": shown["version"]}
        if self.fault("webhook_old_status"):
            shown = {**shown, "status": before}
        deliveries = self.webhooks.emit(RESOURCES[segment][2], shown, status=status)
        return {"entity": entity.view(), "deliveries": [d.id for d in deliveries]}


def _rank(segment: str, status: str) -> int:
    """Where `status` sits in the seeded flow (a status not seeded ranks past the end)."""
    statuses = SEED_STATUSES[segment]
    return statuses.index(status) if status in statuses else len(statuses)
