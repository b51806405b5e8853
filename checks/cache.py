"""The result cache in ``.derivcheck_cache/`` (like ``.pytest_cache``): storage, integrity and clearing.

What is cached, and why a stale verdict cannot come back:

- **Steps** (:mod:`derivcheck_steps.stepcache`): a step's result is stored under a hash of the *content*
  of what is checked — the built expressions in SymPy's ``srepr`` (with every symbol's and
  function's assumptions), the derivation's declarations, the settings, the derivation id and
  the engine version. Python derivations are rebuilt on every run, so whatever they read (a
  data file, an environment variable, a helper module) shows in the built expressions and hence
  in the key. What has no content key — a numeric experiment (code), or any object that is not
  plain data — is never cached.
- **Runs** (:mod:`derivcheck_steps.runcache`): a whole report is replayed only for inputs whose every
  dependency is known: LaTeX/Markdown documents and the built-in derivations.
- Only verdicts that are a function of that content are stored: never a time-out, an internal
  error or a checker inconsistency (:func:`storable`).

Every entry carries an HMAC of its key and payload under a random secret kept in the cache
folder (``secret``, mode 0600): an entry that was corrupted, hand-edited or copied under
another key fails the check and is discarded (and re-checked), never trusted. The folder is
marked with a ``CACHEDIR.TAG``; :func:`clear` deletes only a marked folder.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

CACHE_DIR_NAME = ".derivcheck_cache"
PACKAGE_DIR = Path(__file__).resolve().parent
TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"  # https://bford.info/cachedir/
TAG_NAME = "CACHEDIR.TAG"
SECRET_NAME = "secret"
# UNKNOWN causes that are a function of the input (StepResult.cause); any other UNKNOWN — a
# time-out (machine-dependent), an internal error, or one whose cause is not recorded — is not.
DETERMINISTIC_UNKNOWN = frozenset({"input", "undecided"})
VERSIONED_DISTRIBUTIONS = ("sympy", "numpy", "mpmath", "latex2sympy2_extended", "antlr4-python3-runtime")


def cache_dir() -> Path:
    """The cache folder: $DERIVCHECK_CACHE_DIR, else .derivcheck_cache in the current directory."""
    return Path(os.environ.get("DERIVCHECK_CACHE_DIR") or Path.cwd() / CACHE_DIR_NAME)


@cache
def engine_version() -> str:
    """A hash of every source file of derivcheck (subpackages too) and the versions it computes with."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\x00")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for dist in VERSIONED_DISTRIBUTIONS:
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=missing".encode())
    h.update(sys.version.encode())
    return h.hexdigest()[:24]


def file_digest(path: str | Path) -> str | None:
    """The sha256 of a file's bytes (read through symlinks), or None if it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


# -- what may be stored ------------------------------------------------------------------------------

def storable(result: object) -> bool:
    """Whether a StepResult (and its correction) is a function of the checked content alone.

    An allowlist: PROVED, CHECKED and REFUTED, and UNKNOWN only with a cause that is about the
    input; never a time-out, an internal error or a checker inconsistency.
    """
    if getattr(result, "inconsistent", False):
        return False
    verdict = getattr(getattr(result, "verdict", None), "value", None)
    if verdict == "UNKNOWN" and getattr(result, "cause", "") not in DETERMINISTIC_UNKNOWN:
        return False
    correction = getattr(result, "correction", None)
    return correction is None or storable(correction)


# -- the folder, its mark and its secret ----------------------------------------------------------------

def is_marked(folder: Path) -> bool:
    """Whether ``folder`` carries a CACHEDIR.TAG with the standard signature (so it is a cache)."""
    try:
        with (folder / TAG_NAME).open("rb") as f:
            return f.read(len(TAG_SIGNATURE)) == TAG_SIGNATURE.encode()
    except OSError:
        return False


def _prepare(root: Path) -> None:
    """Create the cache folder, marked as a cache (CACHEDIR.TAG) and ignored by git."""
    root.mkdir(parents=True, exist_ok=True)
    if not (root / ".gitignore").exists():
        (root / ".gitignore").write_text("# created by derivcheck\n*\n", encoding="utf-8")
    if not is_marked(root):
        (root / TAG_NAME).write_text(
            f"{TAG_SIGNATURE}\n# This file is a cache directory tag created by derivcheck.\n"
            "# For information about cache directory tags, see https://bford.info/cachedir/\n", encoding="utf-8")


def _secret(root: Path, create: bool) -> bytes | None:
    """The folder's random HMAC key; created atomically (link) so concurrent processes agree on one."""
    path = root / SECRET_NAME
    try:
        return path.read_bytes() or None
    except OSError:
        if not create:
            return None
    tmp = root / f".{SECRET_NAME}.{os.getpid()}.{os.urandom(4).hex()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
        try:
            os.link(tmp, path)  # fails if another process made one first: then use theirs
        except FileExistsError:
            pass
        return path.read_bytes() or None
    except OSError:
        return None
    finally:
        tmp.unlink(missing_ok=True)


def _mac(secret: bytes, key: str, body: str) -> str:
    return hmac.new(secret, key.encode() + b"\x00" + body.encode(), hashlib.sha256).hexdigest()


def read_entry(path: Path, key: str) -> dict | None:
    """The payload stored at ``path`` under ``key`` if its HMAC holds; a damaged entry is deleted."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        entry = None
    secret = _secret(cache_dir(), create=False)
    if (secret is None or not isinstance(entry, dict) or not isinstance(entry.get("body"), str)
            or not hmac.compare_digest(str(entry.get("mac", "")), _mac(secret, key, entry["body"]))):
        _discard(path)
        return None
    try:
        payload = json.loads(entry["body"])
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


_discarded: list[str] = []


def _discard(path: Path) -> None:
    """Drop an entry that failed its integrity check: it is recomputed, never trusted (said once a process)."""
    try:
        path.unlink()
    except OSError:
        pass
    if not _discarded:
        print(f"derivcheck: discarded a damaged or edited cache entry ({path.name}); its results are "
              "checked again", file=sys.stderr)
    _discarded.append(path.name)


def write_entry(path: Path, key: str, payload: dict) -> None:
    """Store ``payload`` under ``key`` with its HMAC (atomically: readers never see half a file)."""
    root = cache_dir()
    try:
        _prepare(root)
        secret = _secret(root, create=True)
        if secret is None:
            return
        body = json.dumps(payload, sort_keys=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
        tmp.write_text(json.dumps({"mac": _mac(secret, key, body), "body": body}), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only folder only costs speed


# -- clearing -------------------------------------------------------------------------------------------

class NotACache(Exception):
    """The folder to clear is not marked as a derivcheck cache: nothing was deleted."""


def clear() -> int:
    """Delete the cache folder (only if it is marked with CACHEDIR.TAG); the number of files removed."""
    root = cache_dir()
    if not root.exists():
        return 0
    if root.is_symlink() or not root.is_dir() or not is_marked(root):
        raise NotACache(f"{root} is not marked as a derivcheck cache (no {TAG_NAME} with the cache "
                        "signature): nothing was deleted; check DERIVCHECK_CACHE_DIR")
    count = sum(1 for p in root.rglob("*") if not p.is_dir())
    shutil.rmtree(root)
    return count


def cache_command(clear_it: bool) -> int:
    """``derivcheck cache [--clear]``: show the folder, or clear it; exit status 2 when refusing."""
    root = cache_dir()
    if not clear_it:
        print(f"cache folder: {root} (derivcheck cache --clear deletes it)")
        return 0
    try:
        count = clear()
    except NotACache as exc:
        print(f"derivcheck: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"derivcheck: error: could not delete {root}: {exc}", file=sys.stderr)
        return 2
    print(f"removed {count} files from {root}")
    return 0
