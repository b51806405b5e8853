"""pytest plugin: every derivation in the configured paths is a test item.

Configure the folders (or files) whose ``.py`` modules (and ``.tex``/``.md`` documents) hold
derivations with the ini option ``derivcheck_paths`` (default: ``derivations``). A derivation
with an unexpected verdict, or a step that could not be read, fails with ``DerivationFailure``:
the failing step's ``file:line`` first, then the chain in plain mathematics with marks, the
residual, a table, and a ``reproduce:`` command line. A derivation whose only weak steps are
undecided (UNKNOWN after a time-out, no proof and no evidence) is skipped with the reason.
The plugin loads with every pytest run of a project where derivcheck is installed, so it imports
nothing heavy at start-up: the engine (and SymPy) only when a derivation item runs.
``--derivcheck-strict`` (or ``derivcheck_strict = true`` in the ini file) makes CHECKED and
UNKNOWN fail.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from derivcheck_steps.discovery import DOCUMENT_SUFFIXES, Found, derivations_in, documents_in, load_module
from derivcheck_steps.errors import DerivationFailure, InputError
from derivcheck_steps.report import failure_story, where
from derivcheck_steps.settings import DEFAULT_SEED, Settings

if TYPE_CHECKING:
    from derivcheck_steps.verdict import DerivationResult


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("derivcheck")
    group.addoption("--derivcheck-strict", action="store_true", default=False,
                    help="CHECKED and UNKNOWN verdicts fail too (also: ini derivcheck_strict = true)")
    group.addoption("--derivcheck-seed", type=int, default=DEFAULT_SEED, help="base seed of the numeric checks")
    parser.addini("derivcheck_paths", "folders or files holding derivation modules", type="paths",
                  default=[])
    parser.addini("derivcheck_strict", "CHECKED and UNKNOWN verdicts fail too", type="bool", default=False)


def strict_mode(config: pytest.Config) -> bool:
    """Strict when asked on the command line or in the ini file."""
    return bool(config.getoption("--derivcheck-strict") or config.getini("derivcheck_strict"))


def _roots(config: pytest.Config) -> list[Path]:
    paths = config.getini("derivcheck_paths")
    if not paths:
        paths = [Path(config.rootpath) / "derivations"]
    return [Path(p).resolve() for p in paths]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in (".py", *DOCUMENT_SUFFIXES) or file_path.name.startswith(("test_", "conftest", "__")):
        return None
    resolved = file_path.resolve()
    for root in _roots(parent.config):
        if resolved == root or root in resolved.parents:
            return DerivationFile.from_parent(parent, path=file_path)
    return None


class DerivationFile(pytest.File):
    """A module or document of derivations."""

    def collect(self) -> Iterator[DerivationItem]:
        try:
            if self.path.suffix in DOCUMENT_SUFFIXES:
                items = documents_in(str(self.path))
            else:
                items = derivations_in(load_module(str(self.path)))
        except InputError as exc:
            raise self.CollectError(str(exc)) from None
        for found in items:
            yield DerivationItem.from_parent(self, name=found.name, found=found)


class DerivationItem(pytest.Item):
    """One derivation, checked step by step."""

    def __init__(self, *, found: Found, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.found = found
        self.derivation = found.derivation
        self.result: DerivationResult | None = None

    def reproduce(self, seed: int, strict: bool) -> str:
        """A command line that checks this derivation alone, as this run did."""
        path = Path(self.path)
        try:
            shown = os.path.relpath(path, self.config.invocation_params.dir)
        except ValueError:
            shown = str(path)
        args = ["derivcheck", "check", shown, "-k", self.found.id, "--seed", str(seed)]
        if strict:
            args.append("--strict")
        return shlex.join(args)

    def runtest(self) -> None:
        from derivcheck_steps.engine import check_derivation  # here, not at the top: SymPy only when an item runs

        seed = self.config.getoption("--derivcheck-seed")
        strict = strict_mode(self.config)
        result = self.result = check_derivation(self.derivation, Settings(seed=seed))
        if result.failures(strict):
            raise DerivationFailure(failure_story(result, strict, reproduce=self.reproduce(seed, strict)))
        undecided = result.skips()
        if undecided:
            reasons = "; ".join(f"{where(s.location) + ': ' if s.location else ''}step {s.index} undecided: {s.reason}"
                                for s in undecided)
            pytest.skip(reasons)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> Any:  # pytest's own types for these are private (_pytest)
        if isinstance(excinfo.value, DerivationFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        lines = [s.location.line for s in self.derivation.steps
                 if getattr(s, "location", None) is not None and Path(s.location.file).resolve() == Path(self.path).resolve()]
        return self.path, (min(lines) - 1 if lines else None), f"derivation: {self.derivation.title}"
