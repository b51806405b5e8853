"""Checked results: exit status by precedence, skips, a short repr, .ok, and locations in the JSON."""

from __future__ import annotations

import json

from derivcheck_steps.location import Location
from derivcheck_steps.report import json_report
from derivcheck_steps.verdict import DerivationResult, StepResult, Verdict, exit_code


def _step(index: int, verdict: Verdict, *, expected: Verdict | None = None, cause: str = "",
          location: Location | None = None, reason: str = "") -> StepResult:
    return StepResult(index, "=", "expand", "x", verdict, expected, 0.0, reason, location=location, cause=cause)


def _result(*steps: StepResult) -> DerivationResult:
    return DerivationResult("doc.tex::1.2", "Sums", "1.2", False, list(steps), 0.0)


def test_exit_status_takes_the_highest_problem():
    refuted = _step(1, Verdict.REFUTED)
    input_problem = _step(2, Verdict.UNKNOWN, cause="input")
    internal = _step(3, Verdict.UNKNOWN, cause="internal")
    assert exit_code([_result(_step(1, Verdict.PROVED))]) == 0
    assert exit_code([_result(refuted)]) == 1
    assert exit_code([_result(refuted, input_problem)]) == 2
    assert exit_code([_result(refuted, input_problem), _result(internal)]) == 3


def test_an_input_problem_fails_even_when_unknown_was_expected():
    step = _step(1, Verdict.UNKNOWN, expected=Verdict.UNKNOWN, cause="input")
    assert step.is_failure() and exit_code([_result(step)]) == 2


def test_an_undecided_step_is_a_skip_unless_strict():
    step = _step(1, Verdict.UNKNOWN, cause="timeout", reason="timed out after 2 s")
    result = _result(step)
    assert result.skips() == [step] and result.ok
    assert exit_code([result]) == 0 and exit_code([result], strict=True) == 1


def test_a_checker_inconsistency_is_an_unexpected_verdict():
    step = _step(1, Verdict.UNKNOWN)
    step.inconsistent = True
    assert exit_code([_result(step)]) == 1


def test_ok_is_false_only_for_a_failing_step():
    assert _result(_step(1, Verdict.PROVED), _step(2, Verdict.REFUTED, expected=Verdict.REFUTED)).ok
    assert not _result(_step(1, Verdict.PROVED), _step(2, Verdict.REFUTED)).ok


def test_repr_is_short_and_says_what_was_checked():
    result = _result(*[_step(k, Verdict.PROVED, location=Location("doc.tex", 10 + k, 3)) for k in range(1, 30)])
    text = repr(result)
    assert len(text) < 120
    assert text == "DerivationResult('doc.tex::1.2', 29 steps: 29 PROVED; ok=True)"
    assert repr(result.steps[0]) == "StepResult(1, PROVED, at='doc.tex:11:3', by='expand')"


def test_str_of_a_step_leads_with_its_location():
    step = _step(4, Verdict.REFUTED, location=Location("slip.tex", 9, 5), reason="the two sides differ")
    assert str(step) == "slip.tex:9:5: step 4 ✗ REFUTED [expand]: the two sides differ"


def test_json_location_is_an_object_or_null():
    located = _step(1, Verdict.PROVED, location=Location("doc.tex", 12, 4))
    unlocated = _step(2, Verdict.PROVED)
    steps = json.loads(json_report([_result(located, unlocated)]))["derivations"][0]["steps"]
    assert steps[0]["location"] == {"file": "doc.tex", "line": 12, "column": 4}
    assert steps[1]["location"] is None


def test_the_step_cache_form_keeps_location_and_cause():
    step = _step(1, Verdict.UNKNOWN, cause="input", location=Location("doc.tex", 7, 2))
    back = StepResult.from_dict(step.as_dict())
    assert back.location == Location("doc.tex", 7, 2) and back.cause == "input"


def test_str_of_a_derivation_is_its_name_then_one_line_per_step():
    result = _result(_step(1, Verdict.PROVED), _step(2, Verdict.REFUTED, reason="the sides differ"))
    assert str(result).splitlines() == [
        "Sums (doc.tex::1.2): 1 failing",
        "  step 1 ✓ PROVED [expand]",
        "  step 2 ✗ REFUTED [expand]: the sides differ",
    ]
