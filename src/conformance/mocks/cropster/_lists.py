"""Cropster list operations: newest-first cursor pages and the date-window filter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from conformance.mocks.blocks.errors import json_response
from conformance.mocks.blocks.pagination import Filtered, PageParamError, Resumable, page_by_cursor
from conformance.mocks.cropster._base import CropsterBase, _view
from conformance.mocks.cropster._constants import LISTS


class Lists(CropsterBase):
    def _listed(self, lot: dict[str, Any]) -> dict[str, Any]:
        if self.fault("weights_as_strings") and isinstance(lot.get("weight"), dict):
            lot["weight"] = {**lot["weight"], "amount": str(lot["weight"].get("amount"))}
        return lot

    def _list(self, operation: str, body: dict[str, Any]) -> Response:
        namespace, key, date_field = LISTS[operation]
        params = body.get("params", {})
        if not isinstance(params, dict):
            raise self.error(400, "invalid_parameter", "params must be an object")
        pagination = params.get("pagination", {})
        flt = params.get("filter", {})
        if not isinstance(pagination, dict) or not isinstance(flt, dict):
            raise self.error(400, "invalid_parameter", "params.pagination and params.filter must be objects")
        limit = self.integer(pagination.get("limit", 20 if self.fault("default_limit_wrong") else 50))
        if limit is None:
            raise self.error(400, "invalid_parameter", "params.pagination.limit must be an integer")
        low = 0 if self.fault("zero_limit_accepted") else 1
        high = 10**6 if self.fault("limit_not_enforced") else 100
        if not low <= limit <= high:
            raise self.error(400, "invalid_parameter", "params.pagination.limit must be between 1 and 100")
        after = pagination.get("after")
        if after is not None and not isinstance(after, str):
            raise self.error(400, "invalid_parameter", "params.pagination.after must be a string or null")
        # reverse-chronological: the newest first; a page reads its own lots, not the whole list
        items: Resumable[Any] = self.store.listing(namespace, reverse=not self.fault("oldest_first"))
        ignored = self.fault("filter_ignored") or (
            namespace == "blend" and self.fault("blended_filter_ignored")
        )
        if date_field and date_field in flt and not ignored:
            items = self._date_filter(items, flt[date_field], date_field)
        try:
            page = page_by_cursor(
                items,
                lambda e: e.id,
                after,
                limit,
                self.cursors,
                repeat_last=self.fault("cursor_repeats_last"),
                cursor_on_last=self.fault("end_cursor_on_last_page"),
            )
        except PageParamError as exc:
            if not self.fault("garbage_cursor_accepted"):
                raise self.error(400, "invalid_parameter", f"params.pagination.after: {exc}") from None
            page = page_by_cursor(items, lambda e: e.id, None, limit, self.cursors)
        return json_response(
            {
                "ok": True,
                "result": {key: [self._listed(_view(e)) for e in page.items]},
                "meta": {"pagination": {"endCursor": page.end_cursor}},
            }
        )

    def _date_filter(self, items: Resumable[Any], window: Any, field: str) -> Filtered[Any]:
        if not isinstance(window, dict) or not all(
            isinstance(window.get(k, ""), str) for k in ("from", "to")
        ):
            raise self.error(400, "invalid_parameter", f"params.filter.{field} must have ISO 8601 from/to")
        low, high = window.get("from"), window.get("to")
        for bound in (low, high):
            if bound is not None and not _is_datetime(bound):
                raise self.error(
                    400, "invalid_parameter", f"params.filter.{field}: {bound!r} is not an ISO 8601 date-time"
                )
        inclusive = self.fault("roasted_to_inclusive")
        return Filtered(
            items,
            lambda e: (
                (low is None or e.data[field] >= low)
                and (high is None or e.data[field] < high or (inclusive and e.data[field] == high))
            ),
        )


def _is_datetime(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value
