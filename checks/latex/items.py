"""Read a display's rows as items: one per relation (or chain start), in reading order.

``a = b \\\\ \\le c`` gives a start ``a`` and the items ``= b`` and ``≤ c``; ``\\text{expand} \\Rightarrow …``
gives its words as the justification; ``x \\leftarrow v`` and ``\\ell(w) := v`` are definitions;
an equation before ``\\Rightarrow``/``\\iff`` (or the first row under ``% derivcheck: equation``) is a
premise. What the items become is decided in :mod:`derivcheck_steps.latex.chains`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from derivcheck_steps.latex.rows import IMPLICATIONS, INEQUALITIES, RELATIONS, Row, split_implications, split_relations, tokens
from derivcheck_steps.quoting import quoted

SPELLING = {"=": "=", "≤": r"\le", "≥": r"\ge", "<": "<", ">": ">"}


@dataclass
class Item:
    """One relation of a row (or a chain start): ``rel`` is None for a start."""

    rel: str | None
    text: str
    row: Row
    just: str
    kind: str = "expr"  # expr | equation | premise | define | problem
    lone: bool = True  # the only expression of its clause (for "⇒ B" versus "⇒ B = C")
    value: str = ""  # for a definition: the defining expression



def _clauses(rows: list[Row]) -> list[tuple[str | None, list[tuple[str | None, str]], Row, str]]:
    """(relation, [(relation, expression), …], row, justification) per ⇒/⇔ clause, definitions split off."""
    out: list = []
    for row in rows:
        if row.problem:
            out.append(("problem", [], row, row.justification))
            continue
        segments, just = split_implications(row.math), row.justification
        if re.match(r"\s*\\(text|textrm|mbox)\{", row.math) and len(segments) > 1 and segments[0][0] is None:
            words = re.sub(r"\\(text|textrm|mbox)\{([^}]*)\}", r"\2", segments[0][1])  # "\text{expand} ⇒ …"
            just = just or " ".join(words.split()).rstrip(":")
            segments = segments[1:]
        for rel, segment in segments:
            parts = split_relations(segment)
            if len(parts) > 1 and not parts[0][1].strip():  # "= c", "\le c", "⇒ = c": the row's own relation
                rel, parts = parts[1][0], [(None, parts[1][1]), *parts[2:]]
                if rel == "def":
                    problem = "a definition (':=', '\\leftarrow') needs the name it defines before it"
                    out.append(("problem", [], replace(row, problem=problem), just))
                    break
            problem = _definition_problem(rel, parts)
            if problem:
                out.append(("problem", [], replace(row, problem=problem), just))
                break
            if len(parts) > 1 and parts[1][0] == "def":  # "x' \leftarrow v = …", "\ell(w) := v": define, then v
                out.append(("def", [(None, parts[0][1].strip()), ("def", parts[1][1].strip())], row, just))
                rel, parts = None, [(None, parts[1][1]), *parts[2:]]
            out.append((rel, [(r, t.strip()) for r, t in parts], row, just))
            just = row.justification  # a leading justification belongs to the first relation only
    return out


def _definition_problem(rel: str | None, parts: list[tuple[str | None, str]]) -> str:
    """Why a definition in these parts cannot be one ("" if it can, or if there is none)."""
    where = [k for k, (r, _) in enumerate(parts) if r == "def"]
    if not where:
        return ""
    if where != [1] or rel not in (None, "⇒", "⇔"):
        return "a definition (':=', '\\leftarrow') is a row of its own: write 'NAME := VALUE'"
    name = parts[0][1].strip()
    bare = name
    for _ in range(3):
        bare = re.sub(r"\{[^{}]*\}", "", bare)
    if not re.match(r"(\\[A-Za-z]+|[A-Za-z])", name) or re.search(r"[-+/=<>]", bare):
        return f"only a name can be defined, not {quoted(name)}: write 'NAME := VALUE'"
    return ""


def display_items(rows: list[Row], then: str | None, equation: bool) -> list[Item]:
    """The items of a display in reading order (``then``: the relation that joins it to the previous chain)."""
    clauses = _clauses(rows)
    if clauses and clauses[0][0] is None and then:
        clauses[0] = (then, *clauses[0][1:])
    items: list[Item] = []
    for k, (rel, parts, row, just) in enumerate(clauses):
        nxt = clauses[k + 1][0] if k + 1 < len(clauses) else None
        rels = [r for r, _ in parts[1:]]
        texts = [t for _, t in parts]
        if rel == "problem":
            items.append(Item(problem_relation(row.math), row.math, row, just, "problem"))
        elif rel == "def":
            items.append(Item("def", texts[0], row, just, "define", value=texts[1]))
        elif k == 0 and equation and rels and all(r in SPELLING for r in rels):
            if len(parts) > 2:
                items.append(Item(rel, texts[0], row, just, lone=False))
                items += [Item(r, t, row, row.justification) for r, t in parts[1:-1]]
            items.append(Item("premise", _joined(parts[-2:]), row, just, "premise"))
        elif rel in ("⇒", "⇔") and len(rels) == 1 and rels[0] in SPELLING:
            items.append(Item(rel, _joined(parts), row, just, "equation"))
        elif rel is None and rels == ["="] and nxt in ("⇒", "⇔"):
            items.append(Item("premise", _joined(parts), row, just, "premise"))
        else:
            items.append(Item(rel, texts[0], row, just, lone=len(parts) == 1))
            items += [Item(r, t, row, row.justification) for r, t in parts[1:]]
    for k, it in enumerate(items):  # "a = \\": a relation with nothing after it is a step that cannot be read
        if it.rel in (*INEQUALITIES, "=", "⇒", "⇔", "≈") and not it.text.strip() and it.kind != "problem":
            problem = f"nothing after '{it.rel}': write the expression it leads to"
            items[k] = Item(it.rel, "", replace(it.row, problem=problem), it.just, "problem")
    return [it for it in items if it.text.strip() or it.kind == "problem"]


def _joined(parts: list[tuple[str | None, str]]) -> str:
    """The LaTeX of ``parts`` as one formula (the first part's own relation is not part of it)."""
    return " ".join(t if k == 0 else f"{SPELLING[r]} {t}" for k, (r, t) in enumerate(parts))


def problem_relation(text: str) -> str | None:
    """The relation of an unreadable row: the one it starts with, "" if it has one elsewhere, else None (a start).

    Braces are not trusted here (the row is unreadable because they do not balance): any relation counts.
    """
    spellings = dict(IMPLICATIONS + RELATIONS)
    found = [spellings[tok] for _, tok in tokens(text) if tok in spellings]
    lead = next((tok for _, tok in tokens(text) if not tok.isspace() and tok != "&"), "")
    if lead in spellings and spellings[lead] != "def":
        return spellings[lead]
    return "" if found else None
