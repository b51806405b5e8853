"""-j N: each result handed over as soon as it and those before it are known; forked workers read nothing again."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from derivcheck_steps import parallel
from derivcheck_steps.cli import main
from derivcheck_steps.runner import check_all, select
from derivcheck_steps.settings import Settings

SELECTION = ["derivations.attack_prediction", "derivations.ridge_regression"]


def test_on_result_sees_every_result_in_order() -> None:
    sel = select(SELECTION, None)
    seen = []
    results = check_all(sel, Settings(), 2, False, on_result=seen.append)
    assert seen == results and len(results) == len(sel.found) > 2
    assert [r.title for r in results] == [f.derivation.title for f in sel.found]
    assert all(r.derivation is f.derivation for r, f in zip(results, sel.found, strict=True))


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="workers inherit only when forked")
def test_forked_workers_do_not_collect_the_targets_again(monkeypatch: pytest.MonkeyPatch) -> None:
    def collect_again(_targets):  # noqa: ANN001, ANN202 - inherited by the forked workers
        raise AssertionError("a worker read the targets again")

    monkeypatch.setattr(parallel, "_collected", collect_again)
    sel = select(SELECTION, None)
    results = parallel.check_in_processes(sel.found, Settings(), 2, sel.targets)
    assert len(results) == len(sel.found) and all(r.steps for r in results)
    assert parallel._INHERITED is None  # nothing left behind for a later run


def test_printed_report_is_the_same_with_two_processes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.json"
        main(["check", *SELECTION, "--no-cache", "--no-timing", "--color", "never", "-j", jobs, "--json", str(out)])
        outputs.append((capsys.readouterr().out, json.loads(out.read_text(encoding="utf-8"))))
    assert outputs[0] == outputs[1]


def test_longer_derivations_are_dispatched_first() -> None:
    """-j N starts the derivations with the most work (steps, corrections, simulations) first."""
    from types import SimpleNamespace

    from derivations import attack_prediction, batch_size
    from derivcheck_steps.parallel import _expected_cost

    short = SimpleNamespace(derivation=attack_prediction.attack)
    with_simulation = SimpleNamespace(derivation=batch_size.tradeoff)
    assert _expected_cost(with_simulation) > _expected_cost(short) >= len(attack_prediction.attack.steps)
