"""Ag Catalog entries: create, get, update, soft delete, batch reads and cursor lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.mocks.agcatalog._base import _view
from conformance.mocks.agcatalog._constants import RESOURCES
from conformance.mocks.agcatalog._validation import Validation
from conformance.mocks.blocks.app import as_int
from conformance.mocks.blocks.errors import MockHTTPError, json_response
from conformance.mocks.blocks.pagination import Filtered, PageParamError, Resumable, page_by_cursor
from conformance.mocks.blocks.store import Entity, NotFound
from conformance.mocks.blocks.tokens import ClientRecord


class Entries(Validation):
    async def _create(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        codes = RESOURCES[resource]
        body = await self._body(request, codes)
        data = self._validate(request, resource, body, client)
        entry_id = body.get("id")
        if entry_id is not None and self.store.exists_anywhere(entry_id):
            if not self.fault("id_conflict_overwrites"):
                raise self.error(request, 409, codes.conflict, f"{codes.label} id {entry_id} already exists")
            existing = self.store.overwrite(resource, entry_id, data)
            return json_response(_view(existing), 201)
        if self._name_taken(resource, data["org_id"], data["name"]):
            raise self._duplicate(request, resource, data["name"])
        entity = self.store.create(resource, data, entity_id=entry_id)
        return json_response(self._shown(entity), 201)

    def _shown(self, entity: Any) -> dict[str, Any]:
        shown = _view(entity)
        if self.fault("no_timestamps"):
            shown.pop("updated_at", None)
        return shown

    async def _get(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        shown = _view(self._find(request, resource, params["entry_id"], client))
        if self.fault("get_without_name"):
            shown.pop("name", None)
        return json_response(shown)

    async def _update(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        codes = RESOURCES[resource]
        body = await self._body(request, codes)
        try:
            entity = self._find(request, resource, params["entry_id"], client, write=True)
        except MockHTTPError:
            if not self.fault("unknown_put_creates"):
                raise
            data = self._validate(request, resource, body, client)
            return json_response(_view(self.store.create(resource, data, entity_id=params["entry_id"])), 200)
        self._moving = True
        try:
            data = self._validate(
                request, resource, {**body, "org_id": body.get("org_id", entity.data["org_id"])}, client
            )
        finally:
            self._moving = False
        taken = self._name_taken(resource, data["org_id"], data["name"], exclude=entity.id)
        if taken and not self.fault("rename_onto_taken_name"):
            raise self._duplicate(request, resource, data["name"])
        if data["name"] != entity.data["name"]:
            self.former_names.add((resource, entity.data["org_id"], entity.data["name"]))
        if self.fault("put_merges"):
            data = {**entity.data, **data}
        updated = self.store.replace(resource, entity.id, data, expected_version=None)
        return json_response(_view(updated))

    async def _delete(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        try:
            entity = self._find(request, resource, params["entry_id"], client, write=True)
        except MockHTTPError:
            if self.fault("unknown_put_creates"):
                return Response(status_code=204)
            raise
        self.store.soft_delete(resource, entity.id)
        if self.fault("delete_answers_200"):
            return json_response(_view(self.store.get(resource, entity.id, include_deleted=True)))
        return Response(status_code=204)

    async def _batch(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        codes = RESOURCES[resource]
        body = await self._body(request, codes)
        ids = body.get("ids")
        limit = 10**6 if self.fault("batch_limit_not_enforced") else 100
        least = 0 if self.fault("empty_batch_accepted") else 1
        if (
            not isinstance(ids, list)
            or not least <= len(ids) <= limit
            or not all(isinstance(i, str) for i in ids)
        ):
            raise self.error(
                request,
                400,
                "WHATEVER" if self.fault("batch_max_wrong_code") else codes.invalid,
                "ids must be a list of 1 to 100 ids",
                [{"field": "ids", "message": f"{len(ids) if isinstance(ids, list) else 0} ids"}],
            )
        include_deleted = _flag(request.query_params.get("include_deleted")) or self.fault("deleted_in_batch")
        found = []
        for entry_id in ids:
            try:
                entity = self.store.get(resource, entry_id, include_deleted=include_deleted)
            except NotFound:
                continue
            if entity.data["org_id"] in client.attrs["orgs"] or self.fault("batch_ignores_org"):
                found.append(entity)
        if self.fault("batch_order_lost"):
            found.sort(key=lambda e: e.seq)
        return json_response({resource: [_view(e) for e in found]})

    async def _list(
        self, request: Request, resource: str, params: dict[str, str], client: ClientRecord
    ) -> Response:
        codes = RESOURCES[resource]
        org = params["org_id"]
        if org not in client.attrs["orgs"] and not self.fault("foreign_list_allowed"):
            raise self.error(request, 403, "FORBIDDEN", f"The client is not in organisation {org}")
        query = request.query_params
        size = as_int(_number(query.get("size", "50" if self.fault("default_size_50") else "100")))
        high = 10**6 if self.fault("size_not_enforced") else 1000
        if size is None or not 1 <= size <= high:
            raise self.error(
                request,
                400,
                codes.invalid,
                "size must be between 1 and 1000",
                [{"field": "size", "message": str(query.get("size"))}],
            )
        include_deleted = (
            _flag(query.get("include_deleted")) and not self.fault("include_deleted_ignored")
        ) or (self.fault("deleted_in_list"))
        entries: Iterable[Entity] = (
            [e for e in self.store.list(resource, include_deleted=True) if e.data["org_id"] == org]
            if include_deleted
            else self.store.listing(resource, org)  # the organisation's live entries, in order
        )
        conditions: list[Callable[[Entity], bool]] = []
        if "name" in query and not self.fault("name_filter_ignored"):
            if self.trait("caseless_filters"):  # a persona: the prefix ignores letter case
                prefix = query["name"].casefold()
                conditions.append(lambda e: bool(e.data["name"].casefold().startswith(prefix)))
            else:
                conditions.append(lambda e: bool(e.data["name"].startswith(query["name"])))
        wanted = query.get(codes.filter_field)
        if wanted is not None and self.fault("filter_crashes") and not wanted.isupper():
            raise RuntimeError(f"simulated crash on the {codes.filter_field} filter {wanted!r}")
        if resource == "fertilizers" and wanted is not None and wanted not in ("SOLID", "LIQUID"):
            raise self.error(
                request,
                400,
                codes.invalid,
                "form must be SOLID or LIQUID",
                [{"field": "form", "message": wanted}],
            )
        if wanted is not None:
            conditions.append(lambda e: bool(e.data.get(codes.filter_field) == wanted))
        if conditions:  # filtered as the page is read (a page reads its own entries)
            entries = _filtered(entries, lambda e: all(c(e) for c in conditions))
        try:
            page = page_by_cursor(
                entries,
                lambda e: e.id,
                query.get("current_key"),
                size,
                self.cursors,
                repeat_last=self.fault("page_repeats"),
                cursor_on_last=self.fault("next_key_on_last_page"),
            )
        except PageParamError as exc:
            raise self.error(request, 400, codes.invalid, f"current_key: {exc}") from None
        return json_response(
            {"content": [_view(e) for e in page.items], "pagination": {"next_key": page.end_cursor}}
        )


def _filtered(entries: Iterable[Entity], keep: Callable[[Entity], bool]) -> Iterable[Entity]:
    if isinstance(entries, Resumable):
        return Filtered(entries, keep)
    return [e for e in entries if keep(e)]


def _flag(raw: str | None) -> bool:
    """A boolean query parameter; anything but true/false is refused (MockHTTPError 400)."""
    if raw is None:
        return False
    if raw.lower() not in ("true", "false"):
        raise MockHTTPError(
            400,
            {
                "timestamp": "1970-01-01T00:00:00Z",
                "status": 400,
                "error": "Bad Request",
                "code": "E400",
                "message": f"include_deleted must be true or false, not {raw!r}",
                "path": "",
                "errors": [],
            },
        )
    return raw.lower() == "true"


def _number(raw: str) -> Any:
    try:
        return float(raw) if "." in raw else int(raw)
    except ValueError:
        return None
