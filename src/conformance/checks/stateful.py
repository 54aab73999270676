"""Model-based checks: after a sequence of calls, the target answers what a reference model of the
documents predicts (status, error code, body fields, headers), and its listing shows what the model
holds. The rule judged is the one the prediction cites — a stale write refused
(`locking.rules.stale_version_rejected`), a deleted name freed (`business.deleted_name_freed`), a
read that answers the last write (`stateful.rules.*`) — so a failure carries that rule's severity.

A failure carries the sequence that led to it as numbered steps (`steps`), shrunk by Hypothesis to
the fewest that still fail; `sequence` passes every exchange of it, in order, to the report.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from conformance.checks._helpers import body_excerpt, items_of
from conformance.checks._registry import check
from conformance.contracts.models import Rule
from conformance.core import CheckFailure, Exchange, jsonpointer
from conformance.core.prediction import ABSENT, Prediction, same_value

# the rules a prediction may cite: the sequence rules, and those of the capabilities a model drives
CITED = (
    "stateful.rules.*",
    "business.*",
    "errors.codes[]",
    "errors.atomic_writes",
    "locking.rules.*",
    "rate_limit.rules.*",
    "auth.rules.*",
    "pagination.rules.*",
    "webhooks.*",
)


class AnswerNotAsModelled(CheckFailure):
    title = "Answer differs from the reference model's prediction"


class ListingNotAsModelled(CheckFailure):
    title = "Listing differs from the reference model's state"


class EventsNotAsModelled(CheckFailure):
    title = "Webhook deliveries differ from the events the reference model predicts"


def _shown(value: Any) -> str:
    return "(absent)" if value is ABSENT else repr(value)


def mismatches(prediction: Prediction, answer: Exchange) -> list[str]:
    """What of `prediction` the answer does not meet, one line each (empty: as predicted)."""
    if answer.status not in prediction.status:
        return [f"HTTP {answer.status} {body_excerpt(answer, 200)}"]
    found = []
    body = answer.json() if prediction.fields else None
    for pointer, expected in prediction.fields.items():
        actual = jsonpointer.get(body, pointer, ABSENT)
        if not same_value(expected, actual):
            found.append(f"{pointer or '(body)'} = {_shown(actual)}")
    for name, expected in prediction.headers.items():
        value = answer.header(name)
        actual = ABSENT if value is None else value
        if not same_value(expected, actual):
            found.append(f"{name}: {_shown(actual)}")
    return found


@check("stateful", judges=CITED)
def stateful_answer_as_predicted(
    rule: Rule,
    answer: Exchange,
    prediction: Prediction,
    steps: Sequence[str] = (),
    sequence: Sequence[Exchange] = (),
) -> None:
    """After any sequence of calls, each answer is the one a model of the documents predicts."""
    found = mismatches(prediction, answer)
    if found:
        actual = f"{answer.method} {answer.path}: " + "; ".join(found)
        raise AnswerNotAsModelled(prediction.describe(), actual, [answer], steps)


def _listed(listing: Sequence[Exchange], items: str, id_field: str) -> dict[str, tuple[Any, Exchange]]:
    found: dict[str, tuple[Any, Exchange]] = {}
    member = id_field[1:] if id_field.count("/") == 1 and "~" not in id_field else None
    for page in listing:
        for item in items_of(page, items):
            if member is not None:  # the common case, `/id`, without a pointer walk per item
                entity_id = item.get(member) if isinstance(item, dict) else None
            else:
                entity_id = jsonpointer.get(item, id_field)
            if entity_id is not None:
                found.setdefault(str(entity_id), (item, page))
    return found


@check("stateful", judges=CITED)
def stateful_listing_as_modelled(
    rule: Rule,
    listing: Sequence[Exchange],
    items: str,
    id_field: str,
    present: Mapping[str, Mapping[str, Any]] = {},
    absent: Collection[str] = (),
    maybe: Mapping[str, Mapping[str, Any]] = {},
    steps: Sequence[str] = (),
    sequence: Sequence[Exchange] = (),
) -> None:
    """The target's listing shows what the model holds: each entity it predicts with the predicted
    fields, none it predicts gone; `maybe` ones, where listed, with their fields. Entities the model
    did not make (a sandbox's own data) are not judged."""
    bad: list[str] = []
    cited: list[Exchange] = []
    if any(not page.ok for page in listing):
        failed = next(page for page in listing if not page.ok)
        raise ListingNotAsModelled(
            "every page answered 2xx", f"HTTP {failed.status} {body_excerpt(failed)}", [failed]
        )
    listed = _listed(listing, items, id_field)
    for entity_id, fields in {**maybe, **present}.items():
        if entity_id not in listed:
            if entity_id in present:
                bad.append(f"{entity_id} not listed")
            continue
        item, page = listed[entity_id]
        for pointer, expected in fields.items():
            actual = jsonpointer.get(item, pointer, ABSENT)
            if not same_value(expected, actual):
                bad.append(f"{entity_id}: {pointer} = {_shown(actual)} (predicted {expected!r})")
                cited.append(page)
    for entity_id in absent:
        if entity_id in listed:
            bad.append(f"{entity_id} listed")
            cited.append(listed[entity_id][1])
    if bad:
        expected = f"{len(present)} entit{'y' if len(present) == 1 else 'ies'} listed as modelled"
        if absent:
            expected += f", {len(absent)} not listed"
        actual = "; ".join(bad[:8]) + (f"; … {len(bad) - 8} more" if len(bad) > 8 else "")
        pages = list({page.id: page for page in cited}.values()) or list(listing[-1:])
        raise ListingNotAsModelled(expected, actual, pages, steps)


@check("stateful", judges=CITED)
def stateful_events_as_predicted(
    rule: Rule,
    deliveries: Sequence[Exchange],
    expected: Mapping[str, int],
    event_at: str,
    entity_at: str,
    about: Collection[str],
    steps: Sequence[str] = (),
    sequence: Sequence[Exchange] = (),
) -> None:
    """After any sequence of calls, the webhooks delivered about the model's entities are the events
    it predicts: each at least as often as predicted (at least once: repeats are allowed), and none
    it does not predict. `expected` counts `"<event> <entity id>"`; deliveries about entities not in
    `about` are not judged."""
    seen: dict[str, list[Exchange]] = {}
    for delivery in deliveries:
        body = delivery.request_json()
        entity = jsonpointer.get(body, entity_at)
        if entity is None or str(entity) not in about:
            continue
        seen.setdefault(f"{jsonpointer.get(body, event_at)} {entity}", []).append(delivery)
    missing = [
        f"{key} (x{count}, {len(seen.get(key, []))} delivered)"
        for key, count in expected.items()
        if len(seen.get(key, [])) < count
    ]
    unexpected = [key for key in seen if key not in expected]
    if missing or unexpected:
        parts = [f"missing {', '.join(missing)}"] if missing else []
        parts += [f"not predicted {', '.join(unexpected)}"] if unexpected else []
        cited = [e for key in unexpected for e in seen[key]]
        wanted = ", ".join(f"{key} x{count}" for key, count in expected.items()) or "no event"
        raise EventsNotAsModelled(wanted, "; ".join(parts), cited or list(deliveries[-1:]), steps)
