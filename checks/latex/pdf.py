"""Compile a LaTeX writeup to PDF with the TeX engine on the machine (latexmk or pdflatex).

Errors are reported with the source line of the ``.tex`` file (pdflatex's ``-file-line-error``),
and warnings about undefined references or control sequences are returned to the caller.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from derivcheck_steps.errors import DerivcheckError

_ERROR = re.compile(r"^(?P<file>[^:\n]+\.tex):(?P<line>\d+): (?P<message>.*)$", re.MULTILINE)
_UNDEFINED = re.compile(r"^.*(undefined|Undefined).*$", re.MULTILINE)


class LatexError(DerivcheckError):
    """The TeX engine is missing, or it reported errors (each with file:line and the source line)."""


@dataclass
class CompileResult:
    """The PDF written and what the TeX engine warned about."""

    pdf: Path
    engine: str
    warnings: list[str] = field(default_factory=list)


def find_engine() -> str:
    """The TeX engine to use: pdflatex (run directly, so the log is ours to read)."""
    engine = shutil.which("pdflatex")
    if engine is None:
        raise LatexError(
            "no TeX engine found: --pdf needs pdflatex on PATH (on Debian/Ubuntu: "
            "apt-get install texlive-latex-base texlive-latex-recommended)"
        )
    return engine


def compile_pdf(tex_file: Path, timeout: float = 120.0) -> CompileResult:
    """Compile ``tex_file`` next to itself (two passes); raise LatexError with the source lines on errors."""
    engine = find_engine()
    tex_file = tex_file.resolve()
    source = tex_file.read_text(encoding="utf-8").splitlines()
    with tempfile.TemporaryDirectory(prefix="derivcheck-tex-") as build:
        log = ""
        for _ in range(2):  # the second pass settles anything the first one wrote to .aux
            try:
                proc = subprocess.run(
                    [engine, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
                     f"-output-directory={build}", tex_file.name],
                    cwd=tex_file.parent, capture_output=True, text=True, timeout=timeout, errors="replace",
                )
            except subprocess.TimeoutExpired:
                raise LatexError(f"{tex_file}: pdflatex took longer than {timeout:g} s") from None
            log_path = Path(build) / (tex_file.stem + ".log")
            log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else proc.stdout
            errors = _errors(log, source, tex_file)
            if proc.returncode != 0 or errors:
                detail = "\n".join(errors) or proc.stdout[-2000:]
                raise LatexError(f"pdflatex failed on {tex_file}:\n{detail}")
        pdf = tex_file.with_suffix(".pdf")
        shutil.copyfile(Path(build) / (tex_file.stem + ".pdf"), pdf)
    warnings = sorted({m.group(0).strip() for m in _UNDEFINED.finditer(log)})
    return CompileResult(pdf, engine, warnings)


def _errors(log: str, source: list[str], tex_file: Path) -> list[str]:
    out = []
    for m in _ERROR.finditer(log):
        line = int(m.group("line"))
        text = source[line - 1].strip() if 0 < line <= len(source) else ""
        out.append(f"{tex_file.name}:{line}: {m.group('message')}\n    {text[:200]}")
    return out
