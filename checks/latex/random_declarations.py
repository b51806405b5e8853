"""The ``random`` declaration's LaTeX forms: a law after ``\\sim``, two stated moments, random vectors.

- ``random NAME [INDICES] \\sim \\mathcal{N}(MEAN, VAR)`` (also ``\\mathrm{Ber}(P)``, ``moments(MEAN, VAR)``);
- ``random NAME with \\mathbb{E}[NAME] = MEAN, \\operatorname{Var}[NAME] = VAR`` (any law with these moments);
- ``random vector NAME SIZE \\sim \\mathcal{N}(MEAN, VAR I)`` or ``(MEAN, \\Sigma)``, or the word form
  ``random vector NAME SIZE normal MEAN VAR`` (see :mod:`derivcheck_steps.random_vectors`).

The plain word form ``random m i j bernoulli P`` is read by :mod:`derivcheck_steps.latex.declarations`.
"""

from __future__ import annotations

import re

import sympy as sp

from derivcheck_steps.errors import InputError
from derivcheck_steps.latex.declarations import DeclarationScope, _formula, _name, _size, template
from derivcheck_steps.latex.names import canonical_name
from derivcheck_steps.quoting import quoted
from derivcheck_steps.randomness import Bernoulli, Moments, Normal

_LAW = re.compile(
    r"^(\\mathcal\{N\}|\\mathcal N|N|Normal|normal|\\mathrm\{Ber\}|\\operatorname\{Ber\}|Ber|Bernoulli|"
    r"bernoulli|moments)\s*\((.*)\)\s*$",
    re.S,
)
_EYE = re.compile(r"\s*(\\cdot\s*)?(\\mathbf\{I\}|\\mathbb\{I\}|I)(_\{?[A-Za-z0-9]+\}?)?\s*$")


def random_law(state: DeclarationScope, rest: str, where: str) -> bool:
    """``random NAME [INDICES] \\sim LAW``, ``random vector NAME SIZE LAW`` or ``random NAME with E[..] = M, Var[..] = V``.

    LAW: ``\\mathcal{N}(MEAN, VAR)``, ``\\mathrm{Ber}(P)``, ``moments(MEAN, VAR)``, or the words ``normal MEAN
    VAR`` etc.; a vector's covariance is ``VAR I`` (i.i.d. entries) or ``VAR \\Sigma`` (a declared matrix), its
    mean may be a vector.
    Returns False for the plain word form, which ``derivcheck_steps.latex.declarations`` reads.
    """
    from derivcheck_steps.random_vectors import random_vector

    text = rest.strip()
    vector = text.startswith("vector ")
    body = text[7:] if vector else text
    head, sim, law = re.split(r"(\\sim|~)", body, maxsplit=1) if re.search(r"\\sim|~", body) else (body, "", "")
    if not sim and " with " in f" {head} ":
        head, _, law = head.partition(" with ")
        kind, values = "moments", _stated_moments(law, state, where)
    elif sim:
        found = _LAW.match(law.strip())
        if found is None:
            raise InputError(
                f"unknown law {quoted(law.strip())}: write \\mathcal{{N}}(MEAN, VAR), \\mathrm{{Ber}}(P) or moments(MEAN, VAR)",
                where,
            )
        law_name = found.group(1).lower()
        kind = "bernoulli" if "ber" in law_name else "moments" if law_name == "moments" else "normal"
        values = _top_level(found.group(2))
    elif vector:
        words = head.split()
        k = next((k for k, a in enumerate(words) if a in ("bernoulli", "normal", "moments")), None)
        if k is None:
            raise InputError("random vector NAME SIZE normal MEAN VAR | moments MEAN VAR | bernoulli P", where)
        head, kind, values = " ".join(words[:k]), words[k], words[k + 1 :]
    else:
        return False
    words = head.split()
    if not words or (vector and len(words) != 2):
        raise InputError("random vector NAME SIZE ~ LAW (one name, one size)" if vector else "random NAME ~ LAW", where)
    if not vector:
        _random_family(state, words, kind, values, where)
        return True
    name, latex = _name(words[0])
    size = _size(words[1], state, where)
    mean = matrix = None
    if kind != "bernoulli" and len(values) == 2:
        cov = values[1] if isinstance(values[1], str) else None
        if cov is not None and _EYE.search(cov):
            cov = cov[: _EYE.search(cov).start()].strip() or "1"
        elif cov is not None:
            value = _formula(cov, state, where)
            coeff, mats = value.as_coeff_matrices() if isinstance(value, sp.MatMul) else (1, [value])
            if len(mats) != 1 or not isinstance(mats[0], sp.MatrixSymbol):
                raise InputError(
                    f"random vector {words[0]}: covariance {quoted(cov)} is not VAR I or VAR \\Sigma "
                    "with \\Sigma a declared matrix",
                    where,
                )
            cov, matrix = coeff, mats[0]
        m = values[0] if isinstance(values[0], str) else None
        m_obj = state.notation.names.get(canonical_name(m)) if m is not None else None
        if m_obj is not None and m_obj in state.ctx.matrices:
            mean, m = m_obj, "0"
        elif m is not None and m.strip() in (r"\mathbf{0}", r"\mathbf 0", r"\boldsymbol{0}", r"\vec{0}"):
            m = "0"
        values = [m if m is not None else values[0], cov if cov is not None else values[1]]
    dist = _law(kind, [_formula(v, state, where) if isinstance(v, str) else v for v in values], where)
    random_vector(state.ctx, name, size, dist, mean=mean, cov=matrix, latex=latex)
    return True


def _law(kind: str, values: list, where: str) -> object:
    if kind == "bernoulli" and len(values) == 1:
        return Bernoulli(values[0])
    if kind in ("normal", "moments") and len(values) == 2:
        return (Normal if kind == "normal" else Moments)(*values)
    raise InputError(f"wrong number of parameters for {kind}", where)


def _random_family(state: DeclarationScope, words: list[str], kind: str, values: list, where: str) -> None:
    """A random family (or one variable) whose law's parameters were read already or contain spaces."""
    (name, latex), indices = _name(words[0]), words[1:]
    dist = _law(kind, [_formula(v, state, where) if isinstance(v, str) else v for v in values], where)
    for ix in indices:
        if ix not in state.notation.names:
            raise InputError(f"index {quoted(ix)} of {name} is not declared (index {ix} N)", where)
    state.ctx.random(name, *(state.notation.names[i] for i in indices), dist=dist, latex=template(name, len(indices)) or latex)


def _top_level(text: str) -> list[str]:
    """``text`` split at the commas outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += 1 if ch in "([{" else -1 if ch in ")]}" else 0
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [*parts, cur.strip()]


def _stated_moments(text: str, state: DeclarationScope, where: str) -> list:
    """MEAN and VAR from ``\\mathbb{E}[X] = MEAN, \\operatorname{Var}[X] = VAR`` (either order)."""
    found: dict[str, sp.Basic] = {}
    for part in _top_level(text):
        lhs, eq, rhs = part.partition("=")
        key = (
            "var"
            if re.match(r"\s*(\\operatorname\{Var\}|\\mathrm\{Var\}|\\mathbb\{V\}|Var)", lhs)
            else "mean"
            if re.match(r"\s*(\\mathbb\{E\}|\\mathrm\{E\}|\\operatorname\{E\}|E)", lhs)
            else None
        )
        if not eq or key is None or key in found:
            raise InputError(f"expected E[X] = MEAN and Var[X] = VAR, got {quoted(part)}", where)
        found[key] = _formula(rhs, state, where)
    if set(found) != {"mean", "var"}:
        raise InputError("random NAME with E[X] = MEAN, Var[X] = VAR: both are needed", where)
    return [found["mean"], found["var"]]
