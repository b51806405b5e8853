"""The result cache in ``.derivcheck_cache/`` (like ``.pytest_cache``): re-checking what did not change is instant.

Two levels, both keyed so that a stale verdict is never reused:

- **Steps**: a step's result is stored under a hash of the step (its expressions in ``srepr``, its
  relation, justification and expected verdict), its derivation's context (every declaration),
  the settings (seed, budget, instance counts), the derivation id (the step's seed derives from
  it) and the engine's version (a hash of derivcheck's own source files and the versions of
  SymPy, numpy and Python). A numeric experiment is code: its key also holds the source of the
  module that defines it.
- **Runs**: a whole ``derivcheck check`` run is stored under a hash of its command line, the
  engine's version and the contents of every file the run read (derivation modules and the
  modules they import from the project, LaTeX documents). A warm run with nothing changed
  replays the stored report without importing SymPy.

``--no-cache`` bypasses both; ``derivcheck cache --clear`` (or deleting the folder) wipes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

CACHE_DIR_NAME = ".derivcheck_cache"
PACKAGE_DIR = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """The cache folder: $DERIVCHECK_CACHE_DIR, else .derivcheck_cache in the current directory."""
    return Path(os.environ.get("DERIVCHECK_CACHE_DIR") or Path.cwd() / CACHE_DIR_NAME)


@cache
def engine_version() -> str:
    """A hash of derivcheck's source files and of the versions of what it computes with."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    for dist in ("sympy", "numpy", "mpmath", "latex2sympy2_extended"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=missing".encode())
    h.update(sys.version.encode())
    return h.hexdigest()[:24]


def _ensure(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tag = folder.parent / "CACHEDIR.TAG" if folder.parent.name == CACHE_DIR_NAME else folder / "CACHEDIR.TAG"
    root = tag.parent
    if not (root / ".gitignore").exists():
        (root / ".gitignore").write_text("# created by derivcheck\n*\n", encoding="utf-8")
    if not tag.exists():
        tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# derivcheck result cache\n", encoding="utf-8")


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing or damaged: recompute


def _write(path: Path, payload: dict) -> None:
    try:
        _ensure(path.parent)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
        tmp.replace(path)  # atomic: parallel workers never see half a file
    except OSError:
        pass  # a read-only folder only costs speed


# -- steps -----------------------------------------------------------------------------------------

def step_key(parts: list[str]) -> str:
    """The key of one step's result from its textual parts (see step_fingerprint in the engine)."""
    h = hashlib.sha256(engine_version().encode())
    for p in parts:
        h.update(b"\x00")
        h.update(p.encode())
    return h.hexdigest()


def load_step(key: str) -> dict | None:
    """A stored step result (as_dict form), or None."""
    return _read(cache_dir() / "steps" / key[:2] / f"{key}.json")


def store_step(key: str, payload: dict) -> None:
    _write(cache_dir() / "steps" / key[:2] / f"{key}.json", payload)


# -- runs --------------------------------------------------------------------------------------------

def file_digest(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def run_key(argv: list[str]) -> str:
    h = hashlib.sha256(engine_version().encode())
    h.update(json.dumps(argv).encode())
    h.update(str(Path.cwd()).encode())
    return h.hexdigest()


def load_run(key: str) -> dict | None:
    """A stored run whose every input file is unchanged, or None."""
    run = _read(cache_dir() / "runs" / f"{key}.json")
    if run is None:
        return None
    for path, digest in run.get("files", {}).items():
        if file_digest(path) != digest:
            return None
    return run


def store_run(key: str, files: list[str], payload: dict) -> None:
    digests = {p: file_digest(p) for p in sorted(set(files))}
    if any(d is None for d in digests.values()):
        return
    _write(cache_dir() / "runs" / f"{key}.json", {**payload, "files": digests})


def project_files_loaded(documents: list[str]) -> list[str]:
    """Every file the run read: project modules imported so far (not the standard library or site-packages)."""
    excluded = [Path(p).resolve() for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}]
    files = []
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if not path or not path.endswith(".py"):
            continue
        resolved = Path(path).resolve()
        if "site-packages" in resolved.parts or any(e in resolved.parents for e in excluded):
            continue
        files.append(str(resolved))
    return sorted(set(files) | {str(Path(d).resolve()) for d in documents})


def clear() -> int:
    """Delete the cache folder; the number of files removed."""
    root = cache_dir()
    count = 0
    if root.is_dir():
        for path in sorted(root.rglob("*"), reverse=True):
            if path.is_file():
                path.unlink()
                count += 1
            elif path.is_dir():
                path.rmdir()
        root.rmdir()
    return count
