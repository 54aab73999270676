"""The base of every reference model: a Hypothesis `RuleBasedStateMachine` that drives one target
through one client and, at each step, states what the documents say the answer must be.

A model subclasses `ModelMachine`, keeps its own small state (what it created, with the fields it
knows), and in each rule sends a request and calls `expect(...)` with its `Prediction` and the
profile rule the prediction follows from. A mismatch raises `ModelMismatch`, which Hypothesis
shrinks to the fewest steps that still fail. `expect_listing(...)` (from an `@invariant`) compares
the target's listing with the model's state.

Models predict only what the seed or CONTRACT-DECISIONS state; where they are silent (ids, names,
amounts of the sandbox's own data, wording, extra fields) nothing is predicted ("Latitude"). Names a
model makes carry a per-sequence prefix (`self.prefix`), so sequences on one target never collide.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hypothesis.stateful import RuleBasedStateMachine

from conformance.checks.stateful import (
    stateful_answer_as_predicted,
    stateful_events_as_predicted,
    stateful_listing_as_modelled,
)
from conformance.client import ApiClient, Recorder
from conformance.contracts import Contract, Rule
from conformance.core import CheckFailure, Exchange, NotApplicable
from conformance.core.prediction import Prediction
from conformance.targets import Target

Check = Callable[..., None]


@dataclass
class Step:
    """One step of a sequence: what the model did, the exchanges it made, what it predicted."""

    number: int
    action: str
    exchanges: list[Exchange]
    predicted: str = ""

    def line(self) -> str:
        answers = ", ".join(f"HTTP {e.status}" for e in self.exchanges[-3:]) or "no request"
        more = f" (+{len(self.exchanges) - 3} more)" if len(self.exchanges) > 3 else ""
        said = f"; predicted {self.predicted}" if self.predicted else ""
        return f"{self.number}. {self.action} -> {answers}{more}{said}"


@dataclass
class Judged:
    """A check run on one rule with its arguments (replayed through the plugin's `verify`)."""

    check: Check
    rule: Rule
    arguments: dict[str, Any]


class ModelMismatch(AssertionError):
    """The target answered other than the model predicted (Hypothesis shrinks on it)."""

    def __init__(self, judged: Judged, failure: CheckFailure, machine: ModelMachine) -> None:
        super().__init__(f"{failure.title}: {failure.expected} / {failure.actual}")
        self.judged = judged
        self.failure = failure
        self.machine = machine


@dataclass
class World:
    """What a model runs against: the contract, the target, the case's recorder, the model's
    parameters (e.g. which resource), the clients it made (closed at the end), and, for the report,
    the last passing judgement of each rule the sequences exercised."""

    contract: Contract
    target: Target
    recorder: Recorder
    params: dict[str, Any] = field(default_factory=dict)
    exercised: dict[str, Judged] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)  # what sequences share (a token)
    sequences: int = 0
    steps: int = 0
    _clients: dict[str, ApiClient] = field(default_factory=dict)
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def rule(self, key: str) -> Rule:
        """The profile rule at `key` (looked up once per run: a profile walk is not free)."""
        rules = self.cache.setdefault("rules", {})
        if key not in rules:
            rules[key] = self.contract.rule(key)
        found: Rule = rules[key]
        return found

    def client(self, identity: str = "default", **kwargs: Any) -> ApiClient:
        """The identity's client (made once per run; `kwargs` as `Target.client` takes them)."""
        key = f"{identity}:{sorted(kwargs.items())!r}"
        if key not in self._clients:
            self._clients[key] = self.target.client(self.recorder, identity, **kwargs)
        return self._clients[key]

    def on_close(self, closer: Callable[[], None]) -> None:
        self._closers.append(closer)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        for closer in reversed(self._closers):
            closer()
        self._clients.clear()
        self._closers.clear()


class ModelMachine(RuleBasedStateMachine):
    """A reference model driven against `world.target` (bound by the runner to a subclass)."""

    world: ClassVar[World]

    def __init__(self) -> None:
        super().__init__()
        self.prefix = f"m{secrets.token_hex(3)}"  # this sequence's names: never another one's
        self.log: list[Step] = []
        self.world.sequences += 1

    # -- what subclasses use ---------------------------------------------------------------------

    @property
    def contract(self) -> Contract:
        return self.world.contract

    @property
    def target(self) -> Target:
        return self.world.target

    @property
    def client(self) -> ApiClient:
        return self.world.client()

    def rule(self, key: str) -> Rule:
        """The profile rule at `key` (`errors.codes[ECPR001]`, `stateful.rules.reads_follow_writes`)."""
        return self.world.rule(key)

    def step(self, action: str, *exchanges: Exchange, predicted: str = "") -> Step:
        """Note a step of the sequence (a request the model made)."""
        made = Step(len(self.log) + 1, action, list(exchanges), predicted)
        self.log.append(made)
        self.world.steps += 1
        return made

    def expect(
        self, action: str, answer: Exchange, prediction: Prediction, rule: Rule | str, *, log: bool = True
    ) -> Exchange:
        """The step's answer must be `prediction` (by `rule`); else the sequence fails here.
        `log=False`: another prediction about the same answer (by another rule), not another step."""
        cited = self.rule(rule) if isinstance(rule, str) else rule
        if log:
            self.step(action, answer, predicted=prediction.describe())
        elif self.log:
            self.log[-1].predicted += f"; {prediction.describe()}"
        arguments = {"answer": answer, "prediction": prediction}
        self._judge(stateful_answer_as_predicted, cited, arguments, key=cited.key)
        return answer

    def expect_listing(
        self,
        action: str,
        listing: Sequence[Exchange],
        rule: Rule | str,
        *,
        items: str,
        id_field: str = "/id",
        present: Mapping[str, Mapping[str, Any]] | None = None,
        absent: Collection[str] = (),
        maybe: Mapping[str, Mapping[str, Any]] | None = None,
        log: bool = True,
    ) -> None:
        """The listing (its pages) must show `present` with their fields and not `absent`
        (`log=False`: the same listing judged again, by another rule, is not another step)."""
        cited = self.rule(rule) if isinstance(rule, str) else rule
        wanted = f"{len(present or {})} listed" + (f", {len(absent)} not" if absent else "")
        if log:
            self.step(action, *listing, predicted=wanted)
        arguments = {
            "listing": list(listing),
            "items": items,
            "id_field": id_field,
            "present": dict(present or {}),
            "absent": list(absent),
            "maybe": dict(maybe or {}),
        }
        self._judge(stateful_listing_as_modelled, cited, arguments, key=f"{cited.key}#listing")

    def expect_events(
        self,
        deliveries: Sequence[Exchange],
        rule: Rule | str,
        *,
        expected: Mapping[str, int],
        event_at: str,
        entity_at: str,
        about: Collection[str],
    ) -> None:
        """The webhooks delivered about `about` are `expected` (`"<event> <id>"` -> how often)."""
        cited = self.rule(rule) if isinstance(rule, str) else rule
        arguments = {
            "deliveries": list(deliveries),
            "expected": dict(expected),
            "event_at": event_at,
            "entity_at": entity_at,
            "about": list(about),
        }
        self._judge(stateful_events_as_predicted, cited, arguments, key=f"{cited.key}#events")

    def not_applicable(self, reason: str) -> None:
        """The whole model does not apply to this target (e.g. it lacks a credential)."""
        raise NotApplicable(reason)

    # -- judging ---------------------------------------------------------------------------------

    def sequence(self) -> tuple[list[str], list[Exchange]]:
        """The sequence so far: its numbered step lines and every exchange, in order."""
        return [s.line() for s in self.log], [e for s in self.log for e in s.exchanges]

    def _judge(self, check: Check, rule: Rule, arguments: dict[str, Any], *, key: str) -> None:
        steps, exchanges = self.sequence()
        judged = Judged(check, rule, {**arguments, "steps": steps, "sequence": exchanges})
        try:
            check(rule, **judged.arguments)
        except CheckFailure as failure:
            raise ModelMismatch(judged, failure, self) from None
        self.world.exercised[key] = Judged(check, rule, {**arguments, "steps": [], "sequence": []})
