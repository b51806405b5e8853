"""The wheel installs one namespace, ``derivcheck_steps``, under the distribution name ``derivcheck-steps``."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(out)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"the wheel does not build:\n{done.stderr[-2000:]}")
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


def test_the_distribution_is_named_derivcheck_steps(wheel):
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    assert "Name: derivcheck-steps\n" in wheel.read(metadata).decode()


def test_everything_lives_under_one_namespace(wheel):
    tops = {n.split("/")[0] for n in wheel.namelist() if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"derivcheck_steps"}
    names = set(wheel.namelist())
    for needed in ("derivcheck_steps/__init__.py", "derivcheck_steps/py.typed", "derivcheck_steps/latex/formulas.py",
                   "derivcheck_steps/derivations/ridge_regression.py",
                   "derivcheck_steps/derivations/handwritten_solution.tex"):
        assert needed in names, needed


def test_the_command_and_the_pytest_plugin_point_into_the_namespace(wheel):
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "derivcheck = derivcheck_steps.cli:main" in text
    assert "derivcheck = derivcheck_steps.pytest_plugin" in text
