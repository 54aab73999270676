"""Hypothesis in a conformance run: the `dev`, `ci` and `live` profiles, the profile a run loads,
and the seed of a random run (fixed up front, shared with xdist workers, named in the report)."""

from __future__ import annotations

import contextlib
import os
import random
from typing import Any

import pytest

HYPOTHESIS_PROFILES = ("dev", "ci", "live")


def default_hypothesis_profile() -> str:
    return os.environ.get("CONFORMANCE_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")


def register_hypothesis_profiles() -> None:
    """`dev` (default), `ci` (deterministic, no shrinking) and `live` (few examples)."""
    from hypothesis import HealthCheck, Phase, settings

    settings.register_profile("dev", max_examples=30, deadline=None)
    settings.register_profile(
        "ci",
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    settings.register_profile(
        "live",
        max_examples=10,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


register_hypothesis_profiles()


def hypothesis_settings(config: pytest.Config) -> dict[str, Any]:
    """Load the profile (--hypothesis-profile, else CONFORMANCE_HYPOTHESIS_PROFILE, else ci under CI,
    else dev) and fix the seed of a random run, so the report can name the seed that was used."""
    from hypothesis import core, settings

    registered = list(settings._profiles)  # Hypothesis has no public list of its profiles
    given = getattr(config.option, "hypothesis_profile", None)
    if given is not None and given not in registered:
        raise pytest.UsageError(
            f"--hypothesis-profile: no profile {given!r}. Valid: {', '.join(sorted(registered))} "
            f"(the conformance plugin registers {', '.join(HYPOTHESIS_PROFILES)})"
        )
    profile = given or default_hypothesis_profile()
    if profile not in registered:
        raise pytest.UsageError(
            f"CONFORMANCE_HYPOTHESIS_PROFILE={profile!r} is not a Hypothesis profile. "
            f"Valid: {', '.join(sorted(registered))}"
        )
    settings.load_profile(profile)
    derandomize = bool(settings().derandomize)
    seed: Any = getattr(config.option, "hypothesis_seed", None)
    if seed is None and not derandomize:
        if hasattr(config, "workerinput"):  # an xdist worker takes the controller's seed
            seed = config.workerinput.get("conformance_hypothesis_seed")
        if seed is None:
            seed = random.SystemRandom().randrange(2**32)
        config.option.hypothesis_seed = seed
    if seed is not None:
        with contextlib.suppress(TypeError, ValueError):
            seed = int(seed)
        core.global_force_seed = seed
    return {
        "profile": profile,
        "seed": None if derandomize else seed,
        "derandomize": derandomize,
        "hash_seed": os.environ.get("PYTHONHASHSEED"),  # generation depends on it too
    }


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: every worker generates from the controller's seed (registered as an xdist hook)."""
    node.workerinput["conformance_hypothesis_seed"] = getattr(node.config.option, "hypothesis_seed", None)


def seed_text(hypothesis: dict[str, Any]) -> str:
    """How to get the same examples again: the seed used, or the derandomised profile, and the
    PYTHONHASHSEED (set iteration inside the generators depends on it; `conformance run` fixes it)."""
    profile = hypothesis.get("profile", "?")
    hash_seed = hypothesis.get("hash_seed")
    env = f"PYTHONHASHSEED={hash_seed} " if hash_seed is not None else ""
    caveat = ""
    if hash_seed is None:
        caveat = (
            "; PYTHONHASHSEED was random: the same seed may draw other examples (`conformance run` sets it)"
        )
    if hypothesis.get("derandomize"):
        return f"derandomized (profile {profile}, {env or 'PYTHONHASHSEED random'}){caveat}"
    seed = hypothesis.get("seed")
    if seed is None:
        return f"random (profile {profile}){caveat}"
    again = f"{env}--hypothesis-seed {seed} --hypothesis-profile {profile}"
    return f"seed {seed} (profile {profile}): {again}{caveat}"
