"""Robustness of the document reader: every corpus document, mutated and fuzzed, is read without a crash
and every display row that states a relation is accounted for by a step at that row's line.

The corpus is every ``tests/corpus/*.tex``/``*.md`` plus the small documents in
``tests/documents_examples/``. Each document goes through ``derivcheck check FILE --json OUT`` in
process. The rows are counted here independently of the reader: a display is split at every ``\\\\``
(outside nested environments), comments, ``\\text{…}`` and sub/superscripts are removed, and a row
that still holds a relation symbol must show up as at least one step located on its line. The only
rows exempt are the ones that are not steps by the documented syntax: definitions (``:=``,
``\\leftarrow``, also after a ``\\Rightarrow``), the premise equation before a ``\\Rightarrow``/``\\iff`` row, the first row of a
``% derivcheck: equation`` display, a ``\\Rightarrow …`` that opens a section (its premise is the prose),
and displays marked ``% derivcheck: skip``.
"""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from derivcheck_steps.cli import main
from derivcheck_steps.latex.documents import read_document

HERE = Path(__file__).resolve().parent
_FULL = os.environ.get("DERIVCHECK_ROBUSTNESS_FULL") == "1"
_DECLARATION = re.compile(r"^[ \t]*(?:%|<!--)[ \t]*derivcheck:", re.M)


def _is_document(path: Path) -> bool:
    """A derivcheck document: a file with at least one declaration line (``% derivcheck: …``, or
    ``<!-- derivcheck: … -->`` in Markdown). The corpus README describes the corpus, it is not one of
    its documents (it quotes the directives only inside backticks). A LaTeX document whose text states
    its types needs no declaration line (issue 14)."""
    text = path.read_text(encoding="utf-8")
    return bool(_DECLARATION.search(text)) or (path.suffix == ".tex" and "\\begin{document}" in text)


DOCUMENTS = sorted(p for p in [*HERE.glob("corpus/*.tex"), *HERE.glob("corpus/*.md"),
                               *HERE.glob("documents_examples/*.tex"), *HERE.glob("documents_examples/*.md")]
                   if _is_document(p))
if _FULL:  # the handwritten solution too (slow: its dropout sections take seconds per run)
    DOCUMENTS.append(HERE.parent / "derivations" / "handwritten_solution.tex")
_OPEN = re.compile(r"\\begin\{(align|equation|gather|multline)(\*?)\}|\$\$|\\\[")
_RELATION = re.compile(r"(?<![:<>\\])=|<|>|\\(?:le|leq|ge|geq|leqslant|geqslant|lt|gt|approx|Rightarrow|Longrightarrow"
                       r"|implies|iff|Leftrightarrow|Longleftrightarrow|therefore)(?![a-zA-Z])")
_IMPLICATION = re.compile(r"\\(?:Rightarrow|Longrightarrow|implies|iff|Leftrightarrow|Longleftrightarrow|therefore)"
                          r"(?![a-zA-Z])")
_DEFINITION = re.compile(r":=|\\coloneqq|\\leftarrow(?![a-zA-Z])")


@dataclass
class Display:
    """A display found by the independent scan: where its body is, and the directives just before it."""

    start: int
    end: int
    directives: str  # the text between the previous display and this one
    first: bool = False  # the document's first display


def find_displays(text: str) -> list[Display]:
    """Displays in reading order; one never closed runs to the end of the text."""
    found, k, last = [], 0, 0
    while True:
        m = _OPEN.search(text, k)
        if m is None:
            return found
        line_start = text.rfind("\n", 0, m.start()) + 1
        if "%" in text[line_start:m.start()] or "<!--" in text[line_start:m.start()]:
            k = m.end()
            continue
        close = (rf"\end{{{m.group(1)}{m.group(2)}}}" if m.group(1) else "$$" if m.group(0) == "$$" else r"\]")
        end = text.find(close, m.end())
        end = len(text) if end < 0 else end
        found.append(Display(m.end(), end, text[last:m.start()], not found))
        k = last = end + len(close)


def _clean(row: str, definitions: bool = False) -> str:
    """A row without comments, text, sub/superscripts (and definitions): what is left is its mathematics."""
    row = re.sub(r"(?<!\\)%[^\n]*", " ", row)
    for _ in range(3):  # nested groups, innermost first
        row = re.sub(r"\\(?:text|textrm|mbox|mathrm|operatorname|tag|label)\*?\{[^{}]*\}", " ", row)
        row = re.sub(r"[_^]\{[^{}]*\}", " ", row)
    row = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)[<>]|\\[lr]angle", " ", row)
    return row if definitions else _DEFINITION.sub(" ", row)


def expected_rows(text: str) -> list[int]:
    """Lines of the display rows that state a relation and must each show up as a step (see the docstring)."""
    lines = []
    for display in find_displays(text):
        if re.search(r"derivcheck:\s*skip", display.directives):
            continue
        body = text[display.start:display.end]
        wrapper = re.fullmatch(r"(\s*\\begin\{\w+\*?\})(.*)\\end\{\w+\*?\}\s*", body, re.S)
        offset = display.start + (len(wrapper.group(1)) if wrapper else 0)
        body = wrapper.group(2) if wrapper else body
        rows, start, depth = [], 0, 0
        for m in re.finditer(r"\\begin\{|\\end\{|\\\\", body):
            depth += {"\\begin{": 1, "\\end{": -1}.get(m.group(0), 0)
            if m.group(0) == "\\\\" and depth <= 0:
                rows.append((offset + start, body[start:m.start()]))
                start = m.end()
        rows.append((offset + start, body[start:]))
        cleaned = [_clean(r) for _, r in rows]
        for k, (at, raw) in enumerate(rows):
            math = cleaned[k]
            relations = _RELATION.findall(math)
            if not relations:
                continue
            nxt = cleaned[k + 1].lstrip(" \t\n&") if k + 1 < len(cleaned) else ""
            premise = [r for r in relations if not _IMPLICATION.fullmatch(r)] == ["="] and (
                _IMPLICATION.match(nxt) or (k == 0 and re.search(r"derivcheck:\s*equation", display.directives)))
            if premise and not _IMPLICATION.search(math):
                continue
            opening = k == 0 and (display.first or re.search(r"\\(sub)*section|^#", display.directives, re.M))
            others = [r for r in relations if not _IMPLICATION.fullmatch(r)]
            if not others and _DEFINITION.search(_clean(raw, definitions=True)):
                continue  # "⇒ x' \leftarrow v": "hence define x'", a definition, not a step
            if opening and len(relations) - len(others) == 1 and others in ([], ["="]) and \
                    _IMPLICATION.match(math.lstrip(" \t\n&")):
                continue  # "⇒ …" opening a section: a "therefore" from the prose, an expression or a premise
            first = at + _first_math(raw)
            lines.append(text.count("\n", 0, first) + 1)
    return lines


def _first_math(raw: str) -> int:
    """Offset of a row's first character that is not space, '&' or part of a comment."""
    k = 0
    while k < len(raw):
        if raw[k] in " \t\n&":
            k += 1
        elif raw[k] == "%":
            k = raw.find("\n", k) if "\n" in raw[k:] else len(raw)
        else:
            return k
    return k


def check_document(path: Path, out: Path, capsys: pytest.CaptureFixture) -> dict:
    """Run ``derivcheck check PATH --json OUT`` in process and assert what holds for every document."""
    code = main(["check", str(path), "--json", str(out), "--timeout", "2"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err, captured.err[-2000:]
    assert code in (0, 1, 2), (code, captured.err[-2000:])
    assert out.exists(), f"no JSON written (exit {code}): {captured.err[-500:]}"
    report = json.loads(out.read_text(encoding="utf-8"))
    lines = _step_lines(report, path)
    text = path.read_text(encoding="utf-8")
    dropped = [n for n in expected_rows(text) if n not in lines]
    assert not dropped, f"{path.name}: rows with a relation but no step: lines {dropped}\n{captured.out[-3000:]}"
    return report


def _step_lines(report: dict, path: Path) -> set[int]:
    """Lines of the steps of ``path``, from the JSON report's locations.

    Until the JSON carries ``location`` (the reports work), the steps' own locations are used.
    """
    steps = [s for d in report["derivations"] for s in d["steps"]]
    if not steps or any("location" in s for s in steps):  # no steps: no lines (re-reading could only raise)
        return {s["location"]["line"] for s in steps if s.get("location")
                and Path(s["location"]["file"]).name == path.name}
    return {s.location.line for d in read_document(path) for s in d.steps if s.location is not None}


@pytest.fixture
def shared_cache(tmp_path_factory, monkeypatch):
    """One step cache for the whole module: a mutated document re-checks only the steps it changed.

    Under pytest-xdist every worker has a base folder of its own inside the session's one; the cache
    goes there, so that a document and its mutants share it whichever worker runs them (the cache
    writes its entries atomically). It holds no time-out and no internal error: those are re-checked
    every time, so what the tests assert is the same with and without it.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    monkeypatch.setenv("DERIVCHECK_CACHE_DIR", str(base / "robustness-cache"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_document_is_read_with_every_row_accounted_for(path, tmp_path, capsys, shared_cache):
    check_document(path, tmp_path / "report.json", capsys)


# -- mutations ------------------------------------------------------------------------------------

def _display_offsets(text: str, wanted: str) -> list[int]:
    return [k for d in find_displays(text) for k in range(d.start, d.end) if text[k] == wanted]


def _declared_names(text: str) -> list[str]:
    return re.findall(r"derivcheck:\s*(?:scalar|vector|matrix)\s+([A-Za-z])\b", text)


def mutate(text: str, kind: str, rng: random.Random) -> str | None:
    """One deterministic mutation of a document, or None when it has nothing to mutate."""
    if kind in ("delete }", "delete {"):
        spots = _display_offsets(text, kind[-1])
        spots = [k for k in spots if text[k - 1] != "\\"]
        if not spots:
            return None
        k = rng.choice(spots)
        return text[:k] + text[k + 1:]
    if kind == "swap rows":
        displays = [d for d in find_displays(text) if text[d.start:d.end].count("\\\\") >= 2]
        if not displays:
            return None
        d = rng.choice(displays)
        rows = text[d.start:d.end].split("\\\\")
        k = rng.randrange(1, len(rows) - 1) if len(rows) > 2 else 0
        rows[k], rows[k + 1] = rows[k + 1], rows[k]
        return text[:d.start] + "\\\\".join(rows) + text[d.end:]
    if kind == "stray &":
        spots = _display_offsets(text, " ")
        if not spots:
            return None
        k = rng.choice(spots)
        return text[:k] + " & " + text[k + 1:]
    if kind == "undeclared name":
        names = _declared_names(text)
        unused = [c for c in "qQzZkKuU" if not re.search(rf"(?<![A-Za-z\\]){c}(?![A-Za-z])", text)]
        spots = [(d, m) for d in find_displays(text) for name in names
                 for m in re.finditer(rf"(?<![A-Za-z\\]){name}(?![A-Za-z])", text[d.start:d.end])]
        if not spots or not unused:
            return None
        d, m = rng.choice(spots)
        k = d.start + m.start()
        return text[:k] + unused[0] + text[k + 1:]
    if kind == "truncate":
        displays = [d for d in find_displays(text) if d.end - d.start > 4]
        if not displays:
            return None
        d = rng.choice(displays)
        return text[:rng.randrange(d.start + 1, d.end)]
    raise ValueError(kind)


MUTATIONS = ["delete }", "delete {", "swap rows", "stray &", "undeclared name", "truncate"]
# Every document with every mutation when DERIVCHECK_ROBUSTNESS_FULL=1; otherwise each document with
# two of them, rotating, so that every kind is exercised and the file stays about a minute long.
MUTANTS = [(p, kind) for n, p in enumerate(DOCUMENTS) for m, kind in enumerate(MUTATIONS)
           if _FULL or m in (n % len(MUTATIONS), (n + 3) % len(MUTATIONS))]


@pytest.mark.parametrize(("path", "kind"), MUTANTS, ids=[f"{p.name}-{k}" for p, k in MUTANTS])
def test_a_mutated_document_is_still_read_with_every_row_accounted_for(path, kind, tmp_path, capsys, shared_cache):
    rng = random.Random(f"{path.name}:{kind}")
    mutated = mutate(path.read_text(encoding="utf-8"), kind, rng)
    if mutated is None:
        pytest.skip(f"{path.name} has nothing to mutate by '{kind}'")
    target = tmp_path / path.name
    target.write_text(mutated, encoding="utf-8")
    check_document(target, tmp_path / "report.json", capsys)


# -- random edits (Hypothesis, derandomized, bounded) ---------------------------------------------

EDIT_PIECES = ["{", "}", "[", "]", "(", ")", "&", "\\\\", "=", "\\le ", "\\Rightarrow ", "\\frac{", "\\text{", "x",
               "\\undefinedmacro ", "^", "_", "\\approx ", ":=", "", ""]


@settings(max_examples=int(os.environ.get("DERIVCHECK_DOCUMENT_FUZZ_EXAMPLES", "10")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], derandomize=True,
          phases=[Phase.explicit, Phase.generate])  # no shrinking: a failing edit is reported as found, in bounded time
@given(doc=st.sampled_from(DOCUMENTS) if DOCUMENTS else st.nothing(),
       edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 3), st.sampled_from(EDIT_PIECES)),
                      min_size=1, max_size=4))
def test_random_edits_inside_displays_never_crash_or_drop_a_row(doc, edits, tmp_path_factory, capsys, shared_cache):
    """Edits that keep the displays and directives where they are (so the row count stays comparable)."""
    text = doc.read_text(encoding="utf-8")
    for where, delete, piece in edits:  # an edit replaces 0-3 characters of a display body by a piece
        spots = [k for d in find_displays(text) for k in range(d.start, max(d.start, d.end - 3))]
        if not spots:
            break
        k = spots[int(where * len(spots))]
        text = text[:k] + piece + text[k + delete:]
    delimiters = re.compile(r"\\\[|\\\]|\$\$|\\begin|\\end|derivcheck:")
    assume(len(delimiters.findall(text)) == len(delimiters.findall(doc.read_text(encoding="utf-8"))))
    folder = tmp_path_factory.mktemp("fuzz")
    target = folder / doc.name
    target.write_text(text, encoding="utf-8")
    check_document(target, folder / "report.json", capsys)
