"""Ag Catalog entry validation: attributes, organisation, unique names, and organisation-scoped lookup."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from conformance.mocks.agcatalog._base import AgCatalogBase
from conformance.mocks.agcatalog._constants import ITEM_CATEGORIES, RESOURCES, UUID_RE
from conformance.mocks.blocks.errors import MockHTTPError
from conformance.mocks.blocks.store import Entity, NotFound
from conformance.mocks.blocks.tokens import ClientRecord


class Validation(AgCatalogBase):
    _moving = False  # an update is being validated (a fault lets it move the entry)

    def _validate(
        self, request: Request, resource: str, body: dict[str, Any], client: ClientRecord
    ) -> dict[str, Any]:
        codes = RESOURCES[resource]
        problems: list[dict[str, str]] = []
        if self.trait("strict_create"):  # a persona: the optional attributes are required too
            # org_id stays optional: the decisions let a client in one organisation omit it
            optional: dict[str, tuple[str, ...]] = {
                "products": (),
                "items": (),
                "fertilizers": ("nutrients",),
            }
            problems += [
                {"field": f, "message": f"{f} is required"} for f in optional[resource] if f not in body
            ]
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append({"field": "name", "message": "name is required"})
        if resource == "items" and not self.fault("category_not_checked"):
            category = body.get("category")
            if category is None and self.fault("missing_category_e400"):
                problems.append({"field": "category", "message": "category is required"})
            elif category == "PACKAGING" and self.fault("packaging_refused"):
                problems.append({"field": "category", "message": "PACKAGING is not allowed"})
            elif category not in ITEM_CATEGORIES:
                raise self.error(
                    request,
                    400,
                    "ECIT004",
                    f"Invalid category {category!r}; allowed: {', '.join(ITEM_CATEGORIES)}",
                    [{"field": "category", "message": "invalid"}],
                )
        lax = self.fault("indication_optional")
        if resource == "products" and lax and "indication" not in body:
            pass
        elif resource == "products" and (
            not isinstance(body.get("indication"), str) or not body["indication"]
        ):
            problems.append({"field": "indication", "message": "indication is required"})
        if resource == "fertilizers":
            if (lax and "form" not in body) or (
                body.get("form") == "LIQUID" and self.fault("liquid_refused")
            ):
                if self.fault("liquid_refused"):
                    problems.append({"field": "form", "message": "LIQUID is not available"})
            elif body.get("form") not in ("SOLID", "LIQUID"):
                problems.append({"field": "form", "message": "form must be SOLID or LIQUID"})
            nutrients = body.get("nutrients", {})
            if isinstance(nutrients, dict):
                nutrients = {k: self.number(v) for k, v in nutrients.items()}
                body = {**body, "nutrients": nutrients}
            if not isinstance(nutrients, dict) or not all(
                v is not None and (0 <= v <= 100 or (v > 100 and self.fault("nutrients_unbounded")))
                for v in nutrients.values()
            ):
                problems.append({"field": "nutrients", "message": "nutrients map to percentages 0-100"})
        if "id" in body and (not isinstance(body["id"], str) or not UUID_RE.match(body["id"])):
            problems.append({"field": "id", "message": "id must be a UUID"})
        if problems:
            raise self.error(
                request, 400, codes.invalid, f"Invalid {codes.label.lower()} attributes", problems
            )
        if "org_id" in body and not isinstance(body["org_id"], str):
            raise self.error(
                request,
                400,
                codes.invalid,
                "org_id must be a string",
                [{"field": "org_id", "message": "must be a string"}],
            )
        org = body.get("org_id")
        orgs = client.attrs["orgs"]
        if org is None:
            if len(orgs) != 1 or self.fault("org_id_required"):
                raise self.error(
                    request,
                    400,
                    codes.invalid,
                    "org_id is required",
                    [{"field": "org_id", "message": "required"}],
                )
            org = orgs[0]
        if not isinstance(org, str):
            raise self.error(request, 400, codes.invalid, "org_id must be a string")
        if org not in orgs and not (self._moving and self.fault("entry_moves_org")):
            raise self.error(request, 403, "FORBIDDEN", f"The client is not in organisation {org}")
        return {
            **{k: v for k, v in body.items() if k not in ("id", "deleted", "created_at", "updated_at")},
            "org_id": org,
            "name": name,
        }

    def _name_taken(self, resource: str, org: str, name: str, exclude: str | None = None) -> bool:
        """Whether another entry holds `name` (the store's name index: no scan of the entries)."""
        if self.fault("names_unique_across_resources"):
            others = [r for r in ("products", "items", "fertilizers") if r != resource]
            if any(e.data["org_id"] == org for r in others for e in self.store.find(r, "name", name)):
                return True
        if self.fault("names_unique_globally") and any(
            e.id != exclude for e in self.store.find(resource, "name", name)
        ):
            return True
        if self.fault("duplicate_names_allowed"):
            return False
        if self.fault("rename_keeps_old_name") and (resource, org, name) in self.former_names:
            return True  # the uniqueness index still holds the name an entry was renamed from
        return any(
            e.data["org_id"] == org and e.id != exclude
            for e in self.store.find(resource, "name", name, include_deleted=self.fault("name_not_freed"))
        )

    def _duplicate(self, request: Request, resource: str, name: str) -> MockHTTPError:
        codes = RESOURCES[resource]
        status = 400 if self.fault("fertilizer_duplicate_400") else codes.duplicate_status
        return self.error(
            request,
            status,
            codes.duplicate,
            f"A {codes.label.lower()} named {name!r} already exists for the organization",
        )

    def _find(
        self, request: Request, resource: str, entry_id: str, client: ClientRecord, *, write: bool = False
    ) -> Entity:
        codes = RESOURCES[resource]
        code = "NOT_FOUND" if self.fault("wrong_not_found_code") else codes.not_found
        deleted = self.fault("deleted_entry_returned") or (write and self.fault("deleted_entry_writable"))
        try:
            entity = self.store.get(resource, entry_id, include_deleted=deleted)
        except NotFound:
            raise self.error(request, 404, code, f"{codes.label} {entry_id} not found") from None
        if entity.data["org_id"] not in client.attrs["orgs"] and not self.fault("foreign_entry_readable"):
            raise self.error(
                request, 404, code, f"{codes.label} {entry_id} not found"
            )  # existence not leaked
        return entity
