"""The suites judge the documents, not our mock: every conformant persona of every mock — a variant
that chooses differently wherever the seeds and CONTRACT-DECISIONS are silent — passes every suite
with zero failures, in-process and served over HTTP (`--target live`). A check that failed here
would fail a correct vendor for a choice the documents leave open. (That each persona really
chooses otherwise is shown per API in tests/mocks/test_<api>_personas.py.)

Each run is a subprocess (one interpreter per run: no Hypothesis or schemathesis state carried from
one persona to the next). In-process, the property suite runs its examples and fuzzing phases (the
coverage phase's boundary cases run in the main job against the default mocks); served, only its
examples — every operation once over real HTTP: what the network adds is the transport, and the
same persona's generated cases were judged in-process (and the `slow` persona's real latency is
paid per request)."""

from __future__ import annotations

import pytest

from conformance.mocks import available_mocks, create_mock, mock_personas
from conformance.mocks.blocks.clock import VirtualClock
from conformance.targets import served_mock_exports
from tests.conftest import SUITES, read_report

ALL_SUITES = [str(SUITES / "conformance"), str(SUITES / "scenarios"), str(SUITES / "properties")]
CASES = [
    (api, name)
    for api in available_mocks()
    for name, persona in mock_personas(api).items()
    if persona.conformant
]
IDS = [f"{api}:{name}" for api, name in CASES]
MIN_PERSONAS = 6
COMMON = ["-p", "no:cacheprovider", "-p", "no:randomly"]
BOUNDED = ["--property-phases", "examples,fuzzing", *COMMON]
SERVED = ["--property-phases", "examples", *COMMON]


def test_every_mock_has_at_least_six_conformant_personas():
    for api in available_mocks():
        conformant = [n for n, p in mock_personas(api).items() if p.conformant]
        assert len(conformant) >= MIN_PERSONAS, f"{api}: {conformant}"


def _judged_clean(result: pytest.RunResult, report: dict) -> None:
    bad = [
        (r["case_id"].split("::", 1)[-1], [c["actual"][:300] for c in r["checks"] if c["verdict"] == "fail"])
        for r in report["results"]
        if r["verdict"] in ("fail", "error")
    ]
    assert bad == [], result.stdout.str()[-3000:]
    assert result.ret == 0, result.stdout.str()[-3000:]
    passed = {r["capability"] for r in report["results"] if r["verdict"] == "pass"}
    assert {"auth", "schema"} <= passed, f"too little was judged: {sorted(passed)}"


@pytest.mark.parametrize(("api", "persona"), CASES, ids=IDS)
def test_every_suite_passes_against_the_persona_in_process(pytester, api, persona):
    out = pytester.path / "r"
    result = pytester.runpytest_subprocess(
        *ALL_SUITES, "--api", api, "--mock-persona", persona, "--hypothesis-profile", "ci",
        "--report-dir", str(out), *BOUNDED,
    )  # fmt: skip
    report = read_report(out)
    assert report["persona"] == persona
    _judged_clean(result, report)


@pytest.mark.parametrize(("api", "persona"), CASES, ids=IDS)
def test_every_suite_passes_against_the_persona_served(pytester, serve, monkeypatch, api, persona):
    app = create_mock(api, persona=persona, clock=VirtualClock(follow_real_time=True))
    served = serve(app)
    for name, value in served_mock_exports(api, app, "127.0.0.1", served.port).items():
        monkeypatch.setenv(name, value)
    out = pytester.path / "r"
    result = pytester.runpytest_subprocess(
        *ALL_SUITES, "--target", "live", "--api", api, "--allow-writes", "--allow-rate-limit-probe",
        "--hypothesis-profile", "ci", "--report-dir", str(out), *SERVED,
    )  # fmt: skip
    report = read_report(out)
    assert report["target"] == "live"
    _judged_clean(result, report)
