"""Model-based suites' machinery: a reference model (a Hypothesis `RuleBasedStateMachine`) driven
against any target, predicting each answer from the documents; the runner that shrinks a failing
sequence; and the schemathesis stateful phase's glue over the contracts' OpenAPI links.

Models themselves are vendor-specific and live beside the scenarios (`suites/models/<api>/`); this
layer names no vendor. It sends through `conformance.client` and judges with `conformance.checks`,
so a mismatch is a typed failure of the profile rule the prediction cites.
"""

from __future__ import annotations

from conformance.stateful.machine import Judged, ModelMachine, ModelMismatch, Step, World
from conformance.stateful.runner import ModelOutcome, model_settings, run_model

__all__ = [
    "Judged",
    "ModelMachine",
    "ModelMismatch",
    "ModelOutcome",
    "Step",
    "World",
    "model_settings",
    "run_model",
]
