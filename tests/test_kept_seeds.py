"""Seeds kept because a random property run once found a real bug with them. A mock fault that
re-introduces the bug declares its seed (`Fault(seed=N)`); with that seed, in the randomised `dev`
profile, the property suite must still find it — and must pass on the fixed mock. When a change to
a contract or to the generator makes a seed miss, find a new one (the fault's comment says how
often random runs found it) rather than dropping the case."""

from __future__ import annotations

import pytest

from conformance.mocks import available_mocks, mock_faults
from tests.conftest import SUITES, failed_checks, read_report

KEPT = [(api, name, f.seed) for api in available_mocks() for name, f in mock_faults(api).items() if f.seed]


def _run(pytester: pytest.Pytester, api: str, seed: int, *faults: str) -> dict:
    pytester.runpytest_subprocess(
        str(SUITES / "properties"), "--api", api, *(a for f in faults for a in ("--mock-fault", f)),
        "--hypothesis-profile", "dev", "--hypothesis-seed", str(seed),
        "--report-dir", str(pytester.path / "r"), "-p", "no:cacheprovider", "-p", "no:randomly",
    )  # fmt: skip
    return read_report(pytester.path / "r")


def test_some_seed_is_kept():
    assert KEPT, "the CartonCloud RFC 6901 pointer bug keeps its seed"


@pytest.mark.parametrize(("api", "fault", "seed"), KEPT, ids=[f"{a}:{f}:seed{s}" for a, f, s in KEPT])
def test_the_kept_seed_still_finds_the_bug_and_the_fixed_mock_passes(pytester, api, fault, seed):
    assert "schema_response_conforms" in failed_checks(_run(pytester, api, seed, fault))
    clean = _run(pytester, api, seed)
    assert not [r["case_id"] for r in clean["results"] if r["verdict"] in ("fail", "error")]
