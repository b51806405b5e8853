"""Find derivations: the built-in ones, a module by name, or a user's ``.py`` file.

A derivation module is ordinary Python that builds ``Derivation`` objects at module level;
every such object is collected, in definition order, with the id ``<module>::<name>``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from checks.errors import InputError

BUILTIN_MODULES = (
    "derivations.attack_prediction",
    "derivations.ridge_regression",
    "derivations.attack_weight_decay",
    "derivations.dropout",
    "derivations.gaussian_noise",
    "derivations.batch_size",
    "derivations.compute_optimal",
)
BUILTIN_DOCUMENTS = ("handwritten_solution.tex",)  # in the derivations package folder


@dataclass(frozen=True)
class Found:
    """A derivation and where it was defined."""

    derivation: Derivation  # noqa: F821 - imported lazily (the CLI's cache path must not load SymPy)
    module: str
    name: str

    @property
    def id(self) -> str:
        return f"{self.module}::{self.name}"


def _where_from(exc: BaseException, path: Path | None) -> str | None:
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno or 0}:{exc.offset or 0}"
    frames = traceback.extract_tb(exc.__traceback__)
    if path is not None:
        frames = [f for f in frames if Path(f.filename).resolve() == path.resolve()] or frames
    if frames:
        last = frames[-1]
        return f"{last.filename}:{last.lineno}:{(last.colno or 0) + 1}"
    return None


def _module_name_for(path: Path) -> tuple[str, Path]:
    """The dotted name of a file inside packages, and the folder that must be on sys.path."""
    parts = [path.stem]
    folder = path.parent
    while (folder / "__init__.py").exists():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts), folder


def load_module(target: str) -> ModuleType:
    """Import a module by dotted name or from a ``.py`` path; errors become InputError with a location."""
    path = Path(target)
    if target.endswith(".py") or path.exists():
        if not path.is_file():
            raise InputError(f"no such file: {target}")
        if path.suffix != ".py":
            raise InputError(f"{target}: expected a .py, .tex or .md file of derivations")
        name, root = _module_name_for(path.resolve())
        try:
            if str(root) not in sys.path:
                sys.path.insert(0, str(root))
            fresh = name not in sys.modules
            module = importlib.import_module(name)
            if not fresh and Path(module.__file__ or "").resolve() == path.resolve():
                module = importlib.reload(module)  # the file may have changed since this process imported it
            if Path(module.__file__ or "").resolve() != path.resolve():
                spec = importlib.util.spec_from_file_location(f"derivcheck_user.{path.stem}", path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)  # the user's derivation code, run as Python by design
            return module
        except Exception as exc:  # noqa: BLE001 - reported with its location
            raise InputError(f"could not load {target}: {type(exc).__name__}: {exc}", _where_from(exc, path)) from None
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as exc:
        if exc.name and target.startswith(exc.name):
            raise InputError(f"no module or file named {target!r}") from None
        raise InputError(f"could not import {target}: {exc}", _where_from(exc, None)) from None
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"could not import {target}: {type(exc).__name__}: {exc}", _where_from(exc, None)) from None


def derivations_in(module: ModuleType) -> list[Found]:
    """Every Derivation defined at module level, in definition order, with its id set."""
    from checks.model import Derivation

    found = []
    for name, value in vars(module).items():
        if isinstance(value, Derivation) and not name.startswith("_"):
            item = Found(value, module.__name__, name)
            if value.id is None:
                value.id = item.id
            found.append(item)
    return found


DOCUMENT_SUFFIXES = (".tex", ".md", ".markdown")


def builtin_documents() -> list[str]:
    """Paths of the built-in LaTeX documents."""
    import derivations

    folder = Path(derivations.__file__).parent
    return [str(folder / name) for name in BUILTIN_DOCUMENTS]


def documents_in(target: str) -> list[Found]:
    """The derivations of a LaTeX or Markdown document; the id is ``file::slug-of-the-heading``."""
    from checks.latex.documents import read_document

    path = Path(target)
    if not path.is_file():
        raise InputError(f"no such file: {target}")
    found = []
    for d in read_document(path):
        module, _, name = (d.id or f"{path.name}::{d.title}").partition("::")
        found.append(Found(d, module, name))
    return found


def _document_may_match(path: Path, keywords: list[str]) -> bool:
    """Whether a -k keyword can select a derivation of the document (its name or a heading)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        return True  # let the reader report the problem
    return any(k.lower() in path.name.lower() or k.lower() in text for k in keywords)


def collect(targets: list[str] | None = None, keywords: list[str] | None = None) -> list[Found]:
    """Derivations of the given targets (default: the built-in ones), filtered by ``keywords``.

    A keyword selects a derivation when it is a case-insensitive substring of its id or title;
    with several keywords, any may match.
    """
    found: list[Found] = []
    seen: set[int] = set()
    for target in targets or [*BUILTIN_MODULES, *builtin_documents()]:
        is_document = Path(target).suffix.lower() in DOCUMENT_SUFFIXES
        if is_document and keywords and not _document_may_match(Path(target), keywords):
            continue  # no heading of the document can match -k: do not parse it
        items = documents_in(target) if is_document else derivations_in(load_module(target))
        if not items:
            raise InputError(f"{target}: no derivations found (define Derivation objects at module level)")
        for item in items:
            if id(item.derivation) not in seen:
                seen.add(id(item.derivation))
                found.append(item)
    if keywords:
        kws = [k.lower() for k in keywords]
        found = [f for f in found if any(k in f.id.lower() or k in f.derivation.title.lower() for k in kws)]
    return found
