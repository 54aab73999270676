"""Run a reference model against a target: Hypothesis generates sequences of its rules (as many as
the profile's `max_examples`, each of at most `stateful_step_count` steps), and a failing one is
shrunk to the fewest steps that still fail (shrinking is on for models under every profile: a
failing sequence of twenty steps says little). The outcome lists the judgements to report: the
last passing one of every rule the sequences exercised, then the failure, if any."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from conformance.stateful.machine import Judged, ModelMachine, ModelMismatch, World

# a live target's request budget (--request-budget, 2000 per API by default) holds a model's run:
# at most the `live` profile's sequences and steps, whatever profile is loaded
LIVE_SEQUENCES, LIVE_STEPS = 10, 8


def model_settings(base: settings | None = None, live: bool = False) -> settings:
    """The loaded Hypothesis profile's settings for a model: its examples, steps and seed, with
    shrinking on and no deadline (a live target answers at its own pace); bounded live."""
    base = base or settings()
    if live:
        base = settings(
            base,
            max_examples=min(base.max_examples, LIVE_SEQUENCES),
            stateful_step_count=min(base.stateful_step_count, LIVE_STEPS),
        )
    phases = list(base.phases)
    if Phase.shrink not in phases and Phase.generate in phases:
        phases.append(Phase.shrink)
    return settings(base, phases=phases, deadline=None, suppress_health_check=list(HealthCheck))


@dataclass
class ModelOutcome:
    world: World
    mismatch: ModelMismatch | None = None

    @property
    def passed(self) -> bool:
        return self.mismatch is None

    def judgements(self) -> list[Judged]:
        """What to report, in order: each exercised rule's last pass, then the failure (if any)."""
        passed = [j for key, j in sorted(self.world.exercised.items())]
        if self.mismatch is None:
            return passed
        failing = self.mismatch.judged.rule.key
        return [j for j in passed if j.rule.key != failing] + [self.mismatch.judged]

    def summary(self) -> str:
        world = self.world
        text = f"{world.sequences} sequences, {world.steps} steps, {len(world.exercised)} predictions judged"
        if self.mismatch is not None:
            text += f"; failed after {len(self.mismatch.machine.log)} steps (shrunk)"
        return text


def run_model(machine: type[ModelMachine], world: World, config: settings | None = None) -> ModelOutcome:
    """Run `machine` against `world.target`; a mismatch comes back shrunk, never raised."""
    bound = type(machine.__name__, (machine,), {"world": world, "__module__": machine.__module__})
    try:
        run_state_machine_as_test(bound, settings=config or model_settings(live=world.target.kind == "live"))
    except ModelMismatch as mismatch:
        return ModelOutcome(world, mismatch)
    finally:
        world.close()
    return ModelOutcome(world)
