"""pytest plugin: every derivation in the configured paths is a test item.

Configure the folders (or files) whose ``.py`` modules (and ``.tex``/``.md`` documents) hold derivations with the ini option
``derivcheck_paths`` (default: ``derivations``). A derivation with an unexpected verdict fails
with ``DerivationFailure``, shown as the numbered chain with marks, residual and a table,
without the engine's frames. ``--derivcheck-strict`` makes CHECKED and UNKNOWN fail too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.discovery import DOCUMENT_SUFFIXES, derivations_in, documents_in, load_module
from checks.engine import check_derivation
from checks.errors import DerivationFailure, InputError
from checks.report import failure_story
from checks.settings import DEFAULT_SEED, Settings


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("derivcheck")
    group.addoption("--derivcheck-strict", action="store_true", help="CHECKED and UNKNOWN verdicts fail too")
    group.addoption("--derivcheck-seed", type=int, default=DEFAULT_SEED, help="base seed of the numeric checks")
    parser.addini("derivcheck_paths", "folders or files holding derivation modules", type="paths",
                  default=[])


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
    """A module of derivations."""

    def collect(self):  # type: ignore[override]
        try:
            if self.path.suffix in DOCUMENT_SUFFIXES:
                items = documents_in(str(self.path))
            else:
                items = derivations_in(load_module(str(self.path)))
        except InputError as exc:
            raise self.CollectError(str(exc)) from None
        for found in items:
            yield DerivationItem.from_parent(self, name=found.name, found_derivation=found.derivation)


class DerivationItem(pytest.Item):
    """One derivation, checked step by step."""

    def __init__(self, *, found_derivation, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.derivation = found_derivation
        self.result = None

    def runtest(self) -> None:
        seed = self.config.getoption("--derivcheck-seed")
        strict = self.config.getoption("--derivcheck-strict")
        self.result = check_derivation(self.derivation, Settings(seed=seed))
        if self.result.failures(strict):
            raise DerivationFailure(failure_story(self.result, strict))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, DerivationFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"derivation: {self.derivation.title}"
