"""Whole-report replay of ``derivcheck check``, only for inputs whose every dependency is known.

A warm run that replays its report does not import SymPy (0.1 s instead of seconds), but a
replayed report is only as good as the list of what it depended on. So a run is recorded only
when that list is complete by construction:

- **LaTeX/Markdown documents**: a document is data, read by derivcheck's own code (in the
  engine version). Each is recorded by the path as given *and* its resolved target, with the
  digest of the bytes read through the given path: re-pointing a symlink, or editing either
  file, changes the record.
- **The built-in derivations** (no target, or built-in module names): their package folder,
  the digest of every ``.py`` file in it, and only if every import in those files (lazy ones
  inside functions too, which only ``-j`` workers may run) names a known module — derivcheck's
  public API and data modules, the built-in package itself, SymPy/numpy/mpmath (versions in the engine version) or a pure
  part of the standard library — and none calls ``open``/``eval``/``__import__`` or reads the
  environment or files.
- **Anything else is never replayed**: a ``.py`` file or module of the user may read environment
  variables, data files or helpers that only worker processes import; none of that is knowable,
  so such a run is re-built and its steps come from the step cache (keyed by content).

A run holding a result that :func:`derivcheck_steps.cache.storable` refuses (a time-out, an internal
error) is not recorded either. Entries carry an HMAC like every cache entry.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
from pathlib import Path

from derivcheck_steps import cache
from derivcheck_steps.discovery import BUILTIN_MODULES, DOCUMENT_SUFFIXES

API_PACKAGE = "derivcheck_steps"
BUILTIN_PACKAGE = f"{API_PACKAGE}.derivations"
KNOWN_IMPORTS = frozenset({
    "sympy", "numpy", "mpmath",  # their versions are in the engine version
    # standard-library modules that compute and read nothing (the Python version is in the key)
    "__future__", "math", "cmath", "fractions", "decimal", "functools", "itertools", "operator",
    "dataclasses", "typing", "collections", "numbers", "enum", "abc", "string", "re",
})
# derivcheck's public API and its pure data modules: none reads a file (discovery, the LaTeX reader
# and the CLI do, so a built-in may not reach them)
KNOWN_CHECKS_MODULES = frozenset({
    API_PACKAGE,
    *(f"{API_PACKAGE}.{m}" for m in ("context", "model", "randomness", "figures", "settings", "errors", "verdict")),
})
# Ways to reach files, the environment or code by name without an import (a belt to the braces above).
UNKNOWABLE_NAMES = frozenset({
    "open", "eval", "exec", "compile", "__import__", "input", "breakpoint", "globals", "vars", "getattr",
    "__builtins__", "__dict__", "__globals__", "__subclasses__", "environ", "getenv", "system", "popen",
    "load", "loadtxt", "genfromtxt", "fromfile", "memmap", "open_memmap", "read_array", "DataSource",
    "load_library", "read_text", "read_bytes", "import_module", "preview",
})


def run_key(argv: list[str]) -> str:
    """The key of a run: the engine version, the command line and the working directory."""
    h = hashlib.sha256(cache.engine_version().encode())
    h.update(json.dumps(argv).encode())
    h.update(str(Path.cwd()).encode())
    return h.hexdigest()


def _path(key: str) -> Path:
    return cache.cache_dir() / "runs" / f"{key}.json"


def _is_document(target: str) -> bool:
    return Path(target).suffix.lower() in DOCUMENT_SUFFIXES


def _builtin_folder() -> Path | None:
    """Where ``import derivations`` would find the built-in package, found without importing it."""
    try:
        spec = importlib.util.find_spec(BUILTIN_PACKAGE)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]).resolve() if len(locations) == 1 else None


def _public_api() -> frozenset[str]:
    import derivcheck_steps

    return frozenset(derivcheck_steps.__all__)


def _imports_only_known(source: str, folder: Path) -> bool:
    """Whether a module's every import (at any depth) is a known module and it names no way to read outside.

    Known: the built-in package's own files, derivcheck's public API and pure data modules,
    SymPy/numpy/mpmath and a pure part of the standard library. A ``derivcheck_steps`` module bound to a
    name may only be used through the public API (``derivcheck_steps.discovery`` is not reachable).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    checks_aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not _known_module(alias.name, folder):
                    return False
                if alias.name.split(".")[0] == API_PACKAGE:
                    checks_aliases.add(alias.asname or API_PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            module = f"{BUILTIN_PACKAGE}.{node.module or ''}".rstrip(".") if node.level else node.module or ""
            if not _known_module(module, folder):
                return False
            if module == API_PACKAGE and not {a.name for a in node.names} <= _public_api():
                return False  # `from derivcheck_steps import discovery` would reach a submodule
        elif isinstance(node, ast.Name) and node.id in UNKNOWABLE_NAMES:
            return False
        elif isinstance(node, ast.Attribute) and node.attr in UNKNOWABLE_NAMES:
            return False
    for node in ast.walk(tree):  # `derivcheck_steps.x`: only the public API
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in checks_aliases
                and node.attr not in _public_api()):
            return False
    return True


def _known_module(name: str, folder: Path) -> bool:
    if name == BUILTIN_PACKAGE or name.startswith(f"{BUILTIN_PACKAGE}."):
        rest = name[len(BUILTIN_PACKAGE) + 1:]
        if not rest:
            return True
        first = rest.split(".")[0]  # a module of the package: one of the recorded files
        return (folder / f"{first}.py").is_file() or (folder / first / "__init__.py").is_file()
    root = name.partition(".")[0]
    if root == API_PACKAGE:
        return name in KNOWN_CHECKS_MODULES
    return root in KNOWN_IMPORTS


def _builtin_record() -> dict | None:
    """The built-in package's folder and every .py file in it, if all their imports are known."""
    folder = _builtin_folder()
    if folder is None:
        return None
    files = []
    for path in sorted(folder.rglob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if not _imports_only_known(data.decode("utf-8", errors="replace"), folder):
            return None
        files.append({"given": str(path), "resolved": str(path.resolve()), "digest": hashlib.sha256(data).hexdigest()})
    return {"folder": str(folder), "files": files}


def _document_record(target: str) -> dict | None:
    digest = cache.file_digest(target)
    return None if digest is None else {"given": target, "resolved": str(Path(target).resolve()), "digest": digest}


def _record(targets: list[str] | None) -> dict | None:
    """What a run of ``targets`` depends on beyond the engine, or None when that is not knowable."""
    builtins = targets is None or any(t in BUILTIN_MODULES for t in targets)
    if targets is not None and not all(t in BUILTIN_MODULES or _is_document(t) for t in targets):
        return None  # a user's Python: what it reads is not knowable
    record: dict = {"folder": None, "files": []}
    if builtins:
        found = _builtin_record()
        if found is None:
            return None
        record = found
    documents = [t for t in targets or [] if _is_document(t)]
    if targets is None and record["folder"] is not None:
        from derivcheck_steps.discovery import BUILTIN_DOCUMENTS

        documents = [str(Path(record["folder"]) / name) for name in BUILTIN_DOCUMENTS]
    for doc in documents:
        entry = _document_record(doc)
        if entry is None:
            return None
        record["files"].append(entry)
    return record


def _unchanged(record: dict) -> bool:
    if record.get("folder") is not None:
        folder = _builtin_folder()
        if folder is None or str(folder) != record["folder"]:
            return False
    for entry in record.get("files", []):
        given = entry["given"]
        if str(Path(given).resolve()) != entry["resolved"] or cache.file_digest(given) != entry["digest"]:
            return False
    return True


def load_run(key: str) -> dict | None:
    """A stored run whose every dependency is unchanged (its integrity checked), or None."""
    run = cache.read_entry(_path(key), key)
    if run is None or not isinstance(run.get("depends"), dict):
        return None
    try:
        return run if _unchanged(run["depends"]) else None
    except (KeyError, TypeError, OSError):
        return None


def store_run(key: str, targets: list[str] | None, results: list, payload: dict) -> None:
    """Record a run for replay if everything it depends on is known and every result is storable."""
    if not all(cache.storable(s) for r in results for s in r.steps):
        return  # a time-out or an internal error: the next run checks again
    record = _record(targets)
    if record is None:
        return
    cache.write_entry(_path(key), key, {**payload, "depends": record})
