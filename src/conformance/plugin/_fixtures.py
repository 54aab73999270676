"""The fixtures a suite asks for: `api` (parametrised), `contract`, `target`, `recorder`, `client`,
`other_client`, `control` and `verify` (the judge, bound to the case)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from conformance.client import ApiClient, Recorder
from conformance.contracts import Contract, Rule
from conformance.core import Exchange, NotApplicable
from conformance.plugin._keys import (
    CHECKS,
    LIVE_TARGETS,
    OBSERVATIONS,
    PROPERTY_PHASES,
    RECORDER,
    REDACTOR,
    SETTINGS,
)
from conformance.targets import ControlPlane, Target
from conformance.verdicts import evidence as evidence_dicts
from conformance.verdicts import judge


@pytest.fixture
def contract(request: pytest.FixtureRequest, api: str) -> Contract:
    return request.config.stash[SETTINGS].contracts[api]


@pytest.fixture
def target(request: pytest.FixtureRequest, contract: Contract) -> Iterator[Target]:
    from conformance.targets import live_target, mock_target

    settings = request.config.stash[SETTINGS]
    if settings.target == "mock":
        made = mock_target(contract, faults=settings.faults.get(contract.api, ()), persona=settings.persona)
        request.node.stash[REDACTOR] = made.redactor
        yield made
        made.close()
        return
    cache = request.config.stash[LIVE_TARGETS]
    if contract.api not in cache:
        cache[contract.api] = live_target(
            contract,
            settings.live_configs[contract.api],
            allow_writes=settings.allow_writes,
            request_budget=settings.request_budget,
            max_wait_seconds=settings.max_wait_seconds,
        )
    live: Target = cache[contract.api]
    request.node.stash[REDACTOR] = live.redactor
    live.token_cache.clear()
    if live.control is not None:
        live.control.reset()  # a served mock: every test starts from the same state
    yield live


@pytest.fixture
def property_phases(request: pytest.FixtureRequest, target: Target) -> tuple[str, ...]:
    """The schemathesis phases the property suite runs (--property-phases; by default all against
    a mock, examples and fuzzing against a live target)."""
    chosen = request.config.stash[SETTINGS].property_phases
    if chosen is not None:
        return chosen
    return ("examples", "fuzzing") if target.kind == "live" else PROPERTY_PHASES


@pytest.fixture
def recorder(request: pytest.FixtureRequest, target: Target) -> Recorder:
    made = Recorder(target.redactor)
    request.node.stash[RECORDER] = made
    return made


@pytest.fixture
def client(target: Target, recorder: Recorder) -> Iterator[ApiClient]:
    made = target.client(recorder)
    yield made
    made.close()


@pytest.fixture
def other_client(target: Target, recorder: Recorder) -> Iterator[ApiClient]:
    """A second identity whose user lacks the target's tenant/organisation."""
    need = ("OTHER_CLIENT_ID", "OTHER_CLIENT_SECRET")
    if not target.has(*need):
        pytest.skip(f"needs {', '.join(target.missing(*need))} (a client of another tenant)")
    made = target.client(recorder, identity="other")
    yield made
    made.close()


@pytest.fixture
def control(target: Target) -> ControlPlane:
    if target.control is None:
        pytest.skip(
            "the target offers no /__mock__/ control plane (a vendor sandbox): "
            "this step needs seeding data or moving the clock"
        )
    return target.control


class Verifier:
    """`verify(check, rule, **evidence)`: judge recorded exchanges against one profile rule; the
    judgement is kept for the report and becomes the case's pytest outcome."""

    def __init__(self, item: pytest.Item, contract: Contract, target: Target) -> None:
        self.item = item
        self.contract = contract
        self.target = target
        self.today = item.config.stash[SETTINGS].today

    def __call__(self, check: Callable[..., None], rule: Rule, **evidence: Any) -> None:
        __tracebackhide__ = True
        judgement = judge(
            check,
            rule,
            evidence,
            contract=self.contract,
            against_mock=self.target.control is not None,  # only our mocks offer a control plane
            today=self.today,
        )
        self.item.stash.setdefault(CHECKS, []).append(judgement.result)
        if judgement.verdict == "not-applicable":
            raise NotApplicable(judgement.result.reason)
        if judgement.verdict == "waived":
            pytest.xfail(f"{judgement.result.reason}\n{judgement.text}")
        if judgement.verdict == "fail":
            pytest.fail(judgement.text, pytrace=False)

    def observe(self, title: str, detail: str, source: str, evidence: Sequence[Exchange] = ()) -> None:
        """An advisory observation: shown beside the verdict, never a failure (the documents are
        silent on it; CONTRACT-DECISIONS, "Latitude"). The same observation is kept once per case."""
        seen = self.item.stash.setdefault(OBSERVATIONS, [])
        if any(o["title"] == title and o["detail"] == detail for o in seen):
            return
        seen.append(
            {"title": title, "detail": detail, "source": source, "evidence": evidence_dicts(evidence)}
        )


@pytest.fixture
def verify(request: pytest.FixtureRequest, contract: Contract, target: Target) -> Verifier:
    return Verifier(request.node, contract, target)
