"""Find derivations: the built-in ones, a module by name, a user's ``.py`` file, a document, or a folder.

A derivation module is ordinary Python that builds ``Derivation`` objects at module level;
every such object is collected, in definition order, with the id ``<module>::<name>``. A
``.tex``/``.md`` document gives one derivation per heading, with the id ``<file>::<section>``
(the heading's number, else a slug of at most 40 characters). A folder is searched recursively,
as ruff and pytest do, skipping hidden folders, virtual environments and ``__pycache__``.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from derivcheck_steps.errors import InputError

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
PACKAGE = "derivcheck_steps"  # the installed namespace; built-ins are named without it (their ids seed the checks)


def importable_name(target: str) -> str:
    """The name to import for a module target: a built-in's short name gains the package prefix."""
    return f"{PACKAGE}.{target}" if target in BUILTIN_MODULES else target


def short_module_name(name: str) -> str:
    """A module's name as ids show it: the package prefix of the built-ins dropped."""
    return name.removeprefix(f"{PACKAGE}.") if name.startswith(f"{PACKAGE}.derivations.") else name


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
                spec = importlib.util.spec_from_file_location(name, path)  # same id however the process got here
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)  # the user's derivation code, run as Python by design
            return module
        except Exception as exc:  # noqa: BLE001 - reported with its location
            raise InputError(f"could not load {target}: {type(exc).__name__}: {exc}", _where_from(exc, path)) from None
    try:
        return importlib.import_module(importable_name(target))
    except ModuleNotFoundError as exc:
        if exc.name and target.startswith(exc.name):
            raise InputError(f"no module or file named {target!r}") from None
        raise InputError(f"could not import {target}: {exc}", _where_from(exc, None)) from None
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"could not import {target}: {type(exc).__name__}: {exc}", _where_from(exc, None)) from None


def derivations_in(module: ModuleType) -> list[Found]:
    """Every Derivation defined at module level, in definition order, with its id set."""
    from derivcheck_steps.model import Derivation

    found = []
    for name, value in vars(module).items():
        if isinstance(value, Derivation) and not name.startswith("_"):
            item = Found(value, short_module_name(module.__name__), name)
            if value.id is None:
                value.id = item.id
            found.append(item)
    return found


DOCUMENT_SUFFIXES = (".tex", ".md", ".markdown")


def builtin_documents() -> list[str]:
    """Paths of the built-in LaTeX documents."""
    from derivcheck_steps import derivations

    folder = Path(derivations.__file__).parent
    return [str(folder / name) for name in BUILTIN_DOCUMENTS]


SLUG_LENGTH = 40


def slug(title: str, length: int = SLUG_LENGTH) -> str:
    """A short, stable name for a heading: lower-case words joined by ``-``, at most ``length`` characters."""
    text = re.sub(r"\$[^$]*\$", " ", title)  # inline maths carries no name
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = ""
    for w in words:
        if len(out) + len(w) + (1 if out else 0) > length:
            break
        out = f"{out}-{w}" if out else w
    return out or (words[0][:length] if words else "derivation")


def document_name(title: str, section: str | None) -> str:
    """The name of a document's derivation: its section number (``1.2.3``), else the slug of its heading."""
    return section if section else slug(title)


def documents_in(target: str) -> list[Found]:
    """The derivations of a LaTeX or Markdown document, with the ids ``file::1.2.3`` or ``file::slug``."""
    from derivcheck_steps.latex.documents import read_document

    path = Path(target)
    if not path.is_file():
        raise InputError(f"no such file: {target}")
    found: list[Found] = []
    taken: set[str] = set()
    for d in read_document(path):
        name = base = document_name(d.title, d.section)
        k = 2
        while name in taken:  # two headings with the same number or slug: number them in order
            name, k = f"{base}-{k}", k + 1
        taken.add(name)
        d.id = f"{path.name}::{name}"
        found.append(Found(d, path.name, name))
    return found


SKIPPED_FOLDERS = {"__pycache__", "node_modules", "venv", "site-packages", "build", "dist"}
_DEFINES_DERIVATIONS = re.compile(r"\bderivation\s*\(|\bDerivation\s*\(")


def _wanted(path: Path) -> bool:
    """Whether a file found in a folder holds derivations (a cheap look at its text, nothing imported)."""
    suffix = path.suffix.lower()
    if suffix == ".py":
        if path.name.startswith(("test_", "conftest", "__", "setup.")):
            return False
    elif suffix not in DOCUMENT_SUFFIXES:
        return False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # let the reader report the problem
    return _DEFINES_DERIVATIONS.search(text) is not None if suffix == ".py" else "derivcheck:" in text


def files_in(folder: Path) -> list[str]:
    """The derivation files under ``folder``, recursively, in sorted order."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS
                         and not (Path(root) / d / "pyvenv.cfg").exists())
        out += [str(Path(root) / f) for f in sorted(files) if _wanted(Path(root) / f)]
    return out


def expand_targets(targets: list[str] | None) -> list[str] | None:
    """The targets with every folder replaced by the derivation files in it (None stays None: the built-ins)."""
    if not targets:
        return None
    out: list[str] = []
    for t in targets:
        out += files_in(Path(t)) if Path(t).is_dir() else [t]
    return out


def _document_may_match(path: Path, keywords: list[str]) -> bool:
    """Whether a -k keyword can select a derivation of the document (its name or a heading)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        return True  # let the reader report the problem
    name = path.name.lower()
    words = re.sub(r"[^a-z0-9.]+", "-", text)  # a slug keyword (closed-form-ridge) against the headings' words
    return any(k.lower() in name or k.lower().startswith(name + "::") or k.lower() in text
               or re.sub(r"[^a-z0-9.]+", "-", k.lower()) in words for k in keywords)


def selected(found: list[Found], keywords: list[str] | None) -> list[Found]:
    """The derivations ``keywords`` select: a keyword equal to an id selects that derivation only;
    any other keyword selects every derivation whose id or title contains it (case-insensitive)."""
    if not keywords:
        return found
    ids = {f.id.lower() for f in found}
    exact = {k.lower() for k in keywords if k.lower() in ids}
    loose = [k.lower() for k in keywords if k.lower() not in ids]
    return [f for f in found if f.id.lower() in exact
            or any(k in f.id.lower() or k in f.derivation.title.lower() for k in loose)]


def collect(targets: list[str] | None = None, keywords: list[str] | None = None,
            problems: list[tuple[str, InputError]] | None = None, used: list[str] | None = None) -> list[Found]:
    """Derivations of the given targets (default: the built-in ones), filtered by ``keywords`` (see :func:`selected`).

    A folder stands for the derivation files in it. With a ``problems`` list, a target that
    cannot be read is recorded there and the others are still collected; without, it raises.
    ``used`` receives the targets that gave derivations (folders expanded).
    """
    found: list[Found] = []
    seen: set[int] = set()
    from_folder = {f for t in targets or [] if Path(t).is_dir() for f in files_in(Path(t))}
    for target in expand_targets(targets) or [*BUILTIN_MODULES, *builtin_documents()]:
        is_document = Path(target).suffix.lower() in DOCUMENT_SUFFIXES
        if is_document and keywords and not _document_may_match(Path(target), keywords):
            continue  # no heading of the document can match -k: do not parse it
        try:
            items = documents_in(target) if is_document else derivations_in(load_module(target))
            if not items and target not in from_folder:
                raise InputError(f"{target}: no derivations found (define Derivation objects at module level)")
        except InputError as exc:
            if problems is None:
                raise
            problems.append((target, exc))
            continue
        if used is not None and items:
            used.append(target)
        for item in items:
            if id(item.derivation) not in seen:
                seen.add(id(item.derivation))
                found.append(item)
    return selected(found, keywords)
