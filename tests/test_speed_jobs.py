"""``-j auto`` (the default) gives the same report, in the same order, as ``-j 1``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from derivcheck_steps.cli import main
from derivcheck_steps.jobs import AUTO, parse_jobs, resolve_jobs

SELECTION = ["derivations.attack_prediction", "derivations.ridge_regression"]


def _report(tmp_path: Path, *jobs: str) -> dict:
    out = tmp_path / f"report{'-'.join(jobs) or '-default'}.json"
    main(["check", *SELECTION, "-q", "--no-cache", "--no-timing", *jobs, "--json", str(out)])
    return json.loads(out.read_text(encoding="utf-8"))


def test_auto_gives_the_same_json_as_serial(tmp_path: Path) -> None:
    serial = _report(tmp_path, "-j", "1")
    modules = [d["id"].split("::")[0] for d in serial["derivations"]]
    assert modules == sorted(modules) and set(modules) == set(SELECTION)  # several derivations, in the given order
    assert _report(tmp_path, "-j", "auto") == serial


def test_the_default_is_auto() -> None:
    from derivcheck_steps.cli import _parser

    args = _parser().parse_args(["check"])
    assert args.jobs == AUTO


def test_auto_uses_every_core_for_several_derivations() -> None:
    assert resolve_jobs(AUTO, derivations=7, cores=2) == 2
    assert resolve_jobs(AUTO, derivations=7, cores=16) == 7  # never more processes than derivations


def test_auto_stays_serial_for_one_derivation_or_one_core() -> None:
    assert resolve_jobs(AUTO, derivations=1, cores=8) == 1
    assert resolve_jobs(AUTO, derivations=5, cores=1) == 1


def test_a_number_is_taken_as_given() -> None:
    assert resolve_jobs(1, derivations=5, cores=8) == 1
    assert resolve_jobs(3, derivations=5, cores=8) == 3


@pytest.mark.parametrize("text", ["0", "-2", "many"])
def test_bad_values_are_usage_errors(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_jobs(text)
