"""Split a display into rows and a row into relations, robustly: unbalanced input stays in its own row.

A display's rows are separated at ``\\\\``. Braces decide which ``\\\\`` are row separators only when
they are balanced: a ``\\\\`` inside a *matched* ``{…}`` group (``\\substack{i \\\\ j}``) or inside a
nested environment (``\\begin{pmatrix}…\\end{pmatrix}``) is not a separator, while a ``\\\\`` at the
end of a line always is. So an unclosed ``{`` (``\\frac{1}{2(x``) or a stray ``}`` never swallows the
rows after it: it becomes that row's problem ("unclosed '{' opened at 12:7").

Within a row, relations are found at the top level (outside ``{}``, ``[]`` and ``()``):
``=``, ``\\le``, ``\\ge``, ``<``, ``>``, ``\\approx``, the definitions ``:=``/``\\coloneqq``/``\\leftarrow``,
and the implications ``\\Rightarrow``/``\\iff`` and their spellings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from derivcheck_steps.quoting import quoted

_DIRECTIVE = re.compile(r"^\s*(?:%|<!--)\s*derivcheck:\s*(.*?)\s*(?:-->)?\s*$")
IMPLICATIONS = [(r"\Longleftrightarrow", "⇔"), (r"\Leftrightarrow", "⇔"), (r"\iff", "⇔"), (r"\Longrightarrow", "⇒"),
                (r"\Rightarrow", "⇒"), (r"\implies", "⇒"), (r"\therefore", "⇒")]
# the relations that join the expressions of one row (longest spelling first); "def" defines a name
RELATIONS = [(r"\coloneqq", "def"), (r"\leftarrow", "def"), (r"\leqslant", "≤"), (r"\geqslant", "≥"), (r"\approx", "≈"),
             (r"\leq", "≤"), (r"\geq", "≥"), (r"\le", "≤"), (r"\ge", "≥"), (r"\lt", "<"), (r"\gt", ">"),
             (":=", "def"), ("=", "="), ("<", "<"), (">", ">")]
INEQUALITIES = {"≤", "≥", "<", ">"}
_SPACE = re.compile(r"\\[a-zA-Z]+|\\.|%[^\n]*|.", re.S)  # a command, a control symbol, a comment, a character


@dataclass
class Row:
    """One row of a display: its mathematics, where it starts, and what its comments and cells said."""

    math: str
    offset: int  # in the file: the row's first character that is not space
    justification: str = ""
    expect: str | None = None
    problem: str = ""  # why the row cannot be read at all (an unbalanced brace), else ""


def tokens(text: str) -> list[tuple[int, str]]:
    """(offset, token) over commands, control symbols, comments and single characters."""
    return [(m.start(), m.group(0)) for m in _SPACE.finditer(text)]


def _brace_balance(text: str) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Matched ``{…}`` spans, unclosed ``{`` offsets and unmatched ``}`` offsets (comments and ``\\{`` ignored)."""
    stack: list[int] = []
    matched: list[tuple[int, int]] = []
    stray: list[int] = []
    for k, tok in tokens(text):
        if tok == "{":
            stack.append(k)
        elif tok == "}":
            if stack:
                matched.append((stack.pop(), k))
            else:
                stray.append(k)
    return matched, stack, stray


def _line_final(body: str, k: int) -> bool:
    """Whether the ``\\\\`` at ``k`` ends its line (only spaces, ``*``, ``[2pt]`` or a comment follow)."""
    rest = body[k + 2:body.find("\n", k) if "\n" in body[k:] else len(body)]
    return re.fullmatch(r"\*?\s*(\[[^\]]*\])?\s*(%.*)?", rest) is not None


def split_rows(body: str) -> list[tuple[int, str]]:
    """(start, text) of each row of a display body; a comment right after ``\\\\`` stays with its row."""
    matched, _, _ = _brace_balance(body)
    inside = [0] * (len(body) + 1)
    for a, b in matched:  # inside[k] > 0: k is within a matched brace group
        inside[a] += 1
        inside[b] -= 1
    depth, running = 0, []
    for v in inside:
        depth += v
        running.append(depth)
    out: list[tuple[int, str]] = []
    start, env = 0, 0
    for k, tok in tokens(body):
        if tok == r"\begin" and body.startswith("{", k + 6):
            env += 1
        elif tok == r"\end" and body.startswith("{", k + 4):
            env = max(env - 1, 0)
        elif tok == "\\\\" and env == 0 and k >= start and (running[k] <= 0 or _line_final(body, k)):
            end = k + 2
            extra = re.match(r"\*?\s*\[\s*-?[\d.]+\s*(pt|em|ex|mm|cm|in|bp)\s*\]|\*", body[end:])
            comment = re.match(r"[ \t]*(%[^\n]*)", body[end + (extra.end() if extra else 0):])
            text = body[start:k]
            nxt = end + (extra.end() if extra else 0)
            if comment is not None:  # "a = b \\ % expand": the comment is about the row it ends
                text += " " + comment.group(1)
                nxt += comment.end()
            out.append((start, text))
            start = nxt
    out.append((start, body[start:]))
    return out


def _position(where: Callable[[int], str], offset: int) -> str:
    """``line:col`` of a file offset (``where`` gives ``file:line:col``)."""
    _, line, col = where(offset).rsplit(":", 2)
    return f"{line}:{col}"


def read_rows(body: str, offset: int, where: Callable[[int], str]) -> list[Row]:
    """The rows of a display whose body starts at file offset ``offset``; empty rows are left out."""
    rows = []
    for piece_start, piece in split_rows(body):
        text, just, expect = _strip_comments(piece)
        _, unclosed, stray = _brace_balance(text)
        tag = re.search(r"\\tag\*?\{([^}]*)\}", text)
        if tag is not None:
            just = just or tag.group(1).strip()
            text = text[:tag.start()] + " " * (tag.end() - tag.start()) + text[tag.end():]
        text = re.sub(r"\\(label|eqref|ref)\{[^}]*\}|\\(nonumber|notag)\b", lambda m: " " * len(m.group(0)), text)
        cells, note = _annotation(split_top(text, "&"))
        just = just or note
        math = " ".join(c for c in cells).strip().rstrip(".,;")
        math, words = split_trailing_note(math)
        just = just or words
        condition = is_condition(words)
        label = re.search(r"(\\q?quad\s*)?(\\(text|textrm|mbox)\{[^{}]*\}|[^\x00-\x7f])\s*$", math)
        if label is not None and label.start() > 0:  # "… \quad \text{②}": a label, not mathematics
            math = math[:label.start()].strip().rstrip(".,;")
        math = _LEAD_SPACE.sub("", math)  # "&\quad= c": spacing before the row's relation is layout
        if not math.strip("& \t\n"):
            continue
        lead = len(text) - len(text.lstrip(" \t\n&"))
        problem = ""
        if unclosed:
            problem = f"unclosed '{{' opened at {_position(where, offset + piece_start + unclosed[0])}: add its '}}'"
        elif stray:
            problem = f"a '}}' at {_position(where, offset + piece_start + stray[0])} closes nothing: remove it"
        elif condition:
            problem = (f"the row holds under a condition ('{words}') that is not read as a hypothesis: "
                       "state it with `% derivcheck: assume …` or as a declared range of its symbols")
        start = offset + piece_start + lead
        for k, (_at, part) in enumerate(_side_by_side(math) if not problem else [(0, math)]):
            rows.append(check_expect(Row(part, start, just.strip() if k == 0 else "",  # each at the row's start
                                         expect if k == 0 else None, problem)))
    return rows


# LaTeX spacing at a row's start (``&\qquad= c``, ``&\;\le c``, ``\hspace{2em}``): layout, never mathematics
_LEAD_SPACE = re.compile(r"^(?:\s|&|~|\\q?quad(?![A-Za-z])|\\[,;:! >]|\\hspace\*?\{[^{}]*\}"
                         r"|\\(?:enspace|thinspace|medspace|thickspace|negthinspace)(?![A-Za-z]))+")


_NOTE_START = re.compile(r"(,\s*|\\q?quad\b\s*|\\[,;:]\s*)+(?=\\(text|textrm|textit|textnormal|mbox)\s*\{)"
                         r"|(?<=\S)\s+(?=\\(text|textrm|textit|textnormal|mbox)\s*\{[\s(])")
_CONDITION = re.compile(r"(for|if|when|whenever|provided|assuming|unless|where|with|on)\b.*"
                        r"(=|<|>|\\le|\\ge|\\ne|\\in\b|\\geq|\\leq|\\neq|≤|≥|≠)", re.S | re.I)


def is_condition(words: str) -> bool:
    """Whether a note states a condition the row depends on (``for x \\ge 0``), not a reason (``since …``)."""
    return _CONDITION.match(words.strip()) is not None
_CONNECTOR = re.compile(r"\\(text|textrm|textit|textnormal|mbox)\s*\{\s*(and|or|resp\.?)?\s*\}")


def split_trailing_note(math: str) -> tuple[str, str]:
    """The mathematics of a row and the words of a note written after it, ``"" `` if none.

    ``a = b \\quad\\text{(shift } k \\to k+1\\text{)}`` is the equation ``a = b`` and the note
    "(shift k \\to k+1)": from the first top-level ``\\text{…}`` that a ``\\quad``, ``\\qquad``, a comma or a
    LaTeX space introduces, the rest of the row is words about it (its maths in between included), never
    more of its mathematics. A ``\\text{and}`` between two statements is a connector, not a note.
    """
    depth = 0
    level = []
    for k, tok in tokens(math):
        level.append((k, depth))
        depth += (tok in ("{", "(", "[", r"\left")) - (tok in ("}", ")", "]", r"\right"))
    top = {k for k, d in level if d == 0}
    for m in _NOTE_START.finditer(math):
        at = m.end()
        if m.start() == 0 or m.start() not in top or _CONNECTOR.match(math, at):
            continue
        words = re.sub(r"\\(text|textrm|textit|textnormal|mbox)\s*\{([^{}]*)\}", r"\2", math[at:])
        words = " ".join(words.replace("$", " ").split()).strip().rstrip(".,;").strip()
        return math[:m.start()].strip().rstrip(".,;"), words
    return math, ""


_GAP = re.compile(r",?\s*\\q?quad\b(\s*\\(text|textrm|mbox)\{\s*(and|or|resp\.?)?\s*\}\s*\\q?quad\b)?\s*")


def _side_by_side(math: str) -> list[tuple[int, str]]:
    """(position, text) of the statements of a row that sets several side by side.

    ``\\frac{d}{dx} f = 2ax + b, \\qquad \\frac{d^2}{dx^2} f = 2a`` is two chains, not one whose middle
    expression is ``2ax + b, \\qquad \\frac{d^2}{dx^2} f``: a top-level ``\\quad``/``\\qquad`` (after a
    comma, or with ``\\text{and}`` between) splits the row when each side holds a relation of its own.
    """
    depth = [0] * (len(math) + 1)
    d = 0
    for k, tok in tokens(math):
        d += (tok in ("{", "(", "[", r"\left")) - (tok in ("}", ")", "]", r"\right"))
        for j in range(k, k + len(tok)):
            depth[j + 1] = d
    cuts, last = [], 0
    for m in _GAP.finditer(math):
        if depth[m.start()] != 0 or m.start() == 0:
            continue
        left, right = math[last:m.start()], math[m.end():]
        # both sides are equations: "f = 1, \\quad x > 0" keeps its condition (never a claim of its own)
        if "=" in left and "=" in right and len(split_relations(left)) > 1 and len(split_relations(right)) > 1:
            cuts.append((last, left.strip().rstrip(".,;")))
            last = m.end()
    if not cuts:
        return [(0, math)]
    return [*cuts, (last, math[last:].strip().rstrip(".,;"))]


def _annotation(cells: list[str]) -> tuple[list[str], str]:
    """The mathematics cells of an align row and its annotation column, the cells after ``&&``.

    In ``a &= b && j = t - k`` the ``&&`` opens a column whose left half is empty: what follows is a note
    about the row (``\\text{expand}``, ``j = t - k``, ``W = W^T``), never more of its mathematics.
    """
    for k in range(2, len(cells) - 1):
        if not cells[k].strip() and any(c.strip() for c in cells[:k]):
            note = " ".join(c.strip() for c in cells[k + 1:] if c.strip())
            whole = re.fullmatch(r"\\(text|textrm|mbox)\{(.*)\}", note, re.S)
            if whole is not None and _closes_nothing(whole.group(2)):  # one \text{…} with braces inside
                note = whole.group(2)
            note = re.sub(r"\\(text|textrm|mbox)\{([^{}]*)\}", r"\2", note).strip().rstrip(".,;").strip()
            return cells[:k], note
    if len(cells) >= 3 and re.fullmatch(r"\s*\\(text|textrm|mbox)\{.*\}\s*[.,]?\s*", cells[-1], re.S):
        return cells[:-1], re.sub(r"^\s*\\(text|textrm|mbox)\{(.*)\}\s*[.,]?\s*$", r"\2", cells[-1], flags=re.S)
    return cells, ""


def _closes_nothing(text: str) -> bool:
    """Whether no ``}`` of ``text`` closes a brace opened before it."""
    depth = 0
    for _, tok in tokens(text):
        depth += (tok == "{") - (tok == "}")
        if depth < 0:
            return False
    return depth == 0


def check_expect(row: Row) -> Row:
    """A row whose ``expect`` names no verdict gets that as its problem (it is then an UNKNOWN input step)."""
    if row.expect and row.expect.strip().upper() not in ("PROVED", "CHECKED", "REFUTED", "UNKNOWN"):
        row.problem = row.problem or f"expect {quoted(row.expect)}: use one of PROVED, CHECKED, REFUTED, UNKNOWN"
        row.expect = None
    return row


def _strip_comments(piece: str) -> tuple[str, str, str | None]:
    """The piece with its ``%`` comments blanked (offsets kept), the justification and an ``expect``."""
    just, expect, out = "", None, []
    for line in piece.split("\n"):
        m = re.search(r"(?<!\\)%(.*)$", line)
        if m is not None:
            d = _DIRECTIVE.search(m.group(0))
            if d is not None and d.group(1).startswith("expect"):
                words = d.group(1).split()
                expect = words[1] if len(words) > 1 else None
            elif d is None and not just:
                just = m.group(1).strip()
            line = line[:m.start()] + " " * (len(line) - m.start())
        out.append(line)
    return "\n".join(out), just, expect


def split_top(text: str, sep: str) -> list[str]:
    """Split at ``sep`` outside braces and environments (an unescaped one: the ``&`` of a pmatrix stays)."""
    parts, depth, env, cur = [], 0, 0, []
    for k, c in enumerate(text):
        if c == "{" and (k == 0 or text[k - 1] != "\\"):
            depth += 1
        elif c == "}" and (k == 0 or text[k - 1] != "\\"):
            depth = max(depth - 1, 0)
        elif c == "\\" and text.startswith(("\\begin{", "\\end{"), k):
            env = env + 1 if text.startswith("\\begin{", k) else max(env - 1, 0)
        if c == sep and depth == 0 and env == 0 and (k == 0 or text[k - 1] != "\\"):
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


def _split(text: str, table: list[tuple[str, str]], brackets: bool) -> list[tuple[str | None, str]]:
    """Split at the top-level spellings of ``table``: [(None, first), (rel, next), …]."""
    out: list[tuple[str | None, str]] = []
    rel: str | None = None
    depth, start = 0, 0
    opens, closes = ("{[(", "}])") if brackets else ("{", "}")
    for k, tok in tokens(text):
        if tok in opens or (tok == r"\begin" and text.startswith("{", k + 6)):  # an environment is a group
            depth += 1
        elif tok in closes or (tok == r"\end" and text.startswith("{", k + 4)):
            depth = max(depth - 1, 0)
        elif depth == 0:
            found = next((r for spelling, r in table if tok == spelling or (
                spelling[0] == ":" and text.startswith(spelling, k))), None)
            if found is not None and tok == ":":
                tok = ":="
            if found is not None and not (tok == "=" and text[k - 1:k] == ":"):
                out.append((rel, text[start:k]))
                rel, start = found, k + len(tok)
    out.append((rel, text[start:]))
    return out


def split_relations(text: str, table: list[tuple[str, str]] = RELATIONS) -> list[tuple[str | None, str]]:
    """Top-level relations of ``text``: [(None, first expression), (relation, next expression), …].

    Brackets and parentheses count as groups (``\\mathbb{1}[x > 0]``, ``(a = b)``) unless they are
    unbalanced, when only braces do (so ``E[x = b`` still splits and the reader names the bracket).
    """
    depth = sum((tok in ("[", "(")) - (tok in ("]", ")")) for _, tok in tokens(text))
    return _split(text, table, brackets=depth == 0)


def split_implications(text: str) -> list[tuple[str | None, str]]:
    """Split a row at top-level ⇒/⇔: [(leading relation or None, 'a = b'), ('⇒', 'c = d')]."""
    pieces = split_relations(text, IMPLICATIONS)
    if pieces and not pieces[0][1].strip() and len(pieces) > 1:
        pieces = pieces[1:]
    # an empty piece after a relation stays ("a \\Rightarrow \\\\"): it is a step with nothing after it
    return [(r, seg) for r, seg in pieces if seg.strip() or r is not None] or [(None, text)]


def relation_of(text: str) -> str | None:
    """The relation a row starts with (``= c``, ``\\le c``, ``\\Rightarrow c``), or None."""
    pieces = split_relations(text, IMPLICATIONS + RELATIONS)
    if len(pieces) > 1 and not pieces[0][1].strip():
        return pieces[1][0]
    return None


def implication_of(spelling: str) -> str | None:
    """The relation a ``then`` directive names (``\\Rightarrow``, ``\\iff``, ``=``, ``\\le``), or None."""
    return relation_of(spelling + " x")
