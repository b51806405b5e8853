"""Declaring the domain of indexed data: ``ctx.indexed(..., positive=True)``, ``% derivcheck: data \\sigma j
positive`` and statements of the text; the sampler draws inside the domain, the provers see it, and a
statement that cannot be used keeps every counterexample untrusted."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sympy as sp

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.context import Context
from derivcheck_steps.errors import DeclarationError, InputError
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.sampling import draw_instances


def _ctx() -> tuple[Context, sp.Symbol]:
    ctx = Context()
    (n,) = ctx.dims("n")
    return ctx, ctx.index("j", n)


def _entries(ctx: Context, base: sp.IndexedBase, count: int = 40) -> list[sp.Rational]:
    return [v for inst in draw_instances(ctx, 11, count, 6, spread=True) for v in inst.exact[base].reshape(-1)]


def test_positive_data_are_drawn_positive_and_their_entries_are_positive_for_sympy() -> None:
    ctx, j = _ctx()
    sigma = ctx.indexed("sigma", j, positive=True)
    assert sigma[j].is_positive and sp.sqrt(sigma[j] ** 2) == sigma[j]
    values = _entries(ctx, sigma)
    assert all(v > 0 for v in values) and len(set(values)) > 10


def test_nonnegative_data_meet_zero_and_nonzero_data_take_both_signs() -> None:
    ctx, j = _ctx()
    w = ctx.indexed("w", j, nonnegative=True)
    z = ctx.indexed("z", j, nonzero=True)
    ws, zs = _entries(ctx, w), _entries(ctx, z)
    assert all(v >= 0 for v in ws) and 0 in ws
    assert all(v != 0 for v in zs) and any(v < 0 for v in zs) and any(v > 0 for v in zs)
    assert w[j].is_nonnegative and w[j].is_positive is None and z[j].is_nonzero


def test_data_in_an_interval_stay_inside_it_even_when_magnitudes_are_spread() -> None:
    ctx, j = _ctx()
    p = ctx.indexed("p", j, interval=(0, 1))
    values = _entries(ctx, p)
    assert all(0 < v < 1 for v in values) and len(set(values)) > 5
    assert sp.cancel(ctx.with_facts(1 - p[j])).is_positive  # the provers see both ends


def test_an_empty_or_unreadable_interval_is_refused() -> None:
    ctx, j = _ctx()
    with pytest.raises(DeclarationError, match="empty interval"):
        ctx.indexed("p", j, interval=(1, 0))
    with pytest.raises(DeclarationError, match="finite number"):
        ctx.indexed("q", j, interval=(0, float("inf")))


def test_centred_data_take_no_sign() -> None:
    ctx, j = _ctx()
    x = ctx.indexed("x", j, positive=True)
    with pytest.raises(DeclarationError, match="centring"):
        ctx.centred(x, j)


def test_narrowing_a_domain_keeps_earlier_expressions_evaluable() -> None:
    ctx, j = _ctx()
    old = ctx.indexed("p", j)
    new = ctx.restrict_data(old, positive=True)
    newer = ctx.restrict_data(new, interval=(-1, 1))
    assert newer[j].is_positive and ctx.data[newer].low == 0 and ctx.data[newer].high == 1
    assert ctx.is_declared(old) and ctx.restrict_data(newer, positive=True) == newer  # said before
    for inst in draw_instances(ctx, 3, 10, 3):
        assert inst.exact[old] is inst.exact[newer] and all(0 < v < 1 for v in inst.exact[newer].reshape(-1))
    with pytest.raises(DeclarationError, match="cannot also be"):
        ctx.restrict_data(newer, interval=(2, 3))


def _read(tmp_path: Path, text: str) -> list:
    path = tmp_path / "doc.tex"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return read_document(path)


HEAD = r"""
\section{Data}
% derivcheck: dims N
% derivcheck: index i N
"""


def test_the_data_directive_reads_the_domain_words(tmp_path: Path) -> None:
    (d,) = _read(
        tmp_path,
        HEAD + "% derivcheck: data \\sigma i positive\n% derivcheck: data p i interval 0 1\n"
        "% derivcheck: data w i nonnegative\n\\[ \\sqrt{\\sigma_i^2} + \\sqrt{w_i^2} = \\sigma_i + w_i \\]\n"
        "\\[ \\log(1 - p_i) < 0 \\]\n",
    )
    assert [s.verdict for s in check_derivation(d).steps] == [Verdict.PROVED, Verdict.PROVED]
    domains = {str(b): decl.domain_words() for b, decl in d.ctx.data.items()}
    assert domains == {"sigma": "> 0", "p": "in (0, 1)", "w": "≥ 0"}


@pytest.mark.parametrize(
    "line, message",
    [
        ("data p i interval 0", "needs both bounds"),
        ("data p i positive sometimes", "unknown word 'sometimes'"),
        ("data p positive", "name its indices"),
    ],
)
def test_a_data_directive_that_cannot_be_read_says_why(tmp_path: Path, line: str, message: str) -> None:
    from derivcheck_steps.latex.declarations import DeclarationScope, declare
    from derivcheck_steps.latex.formulas import Notation

    ctx, _ = _ctx()
    ctx.index("i", next(iter(ctx.dims_)))
    scope = DeclarationScope(ctx, Notation(ctx))
    word, _, rest = line.partition(" ")
    with pytest.raises(InputError, match=message):
        declare(scope, word, rest, "doc.tex:1:1")


def test_a_display_row_about_declared_data_is_a_claim_not_a_declaration(tmp_path: Path) -> None:
    (d,) = _read(tmp_path, HEAD + "% derivcheck: data \\sigma i\n\\[ \\sigma_i > 0 \\]\n\\[ \\sqrt{\\sigma_i^2} = \\sigma_i \\]\n")
    assert [s.verdict for s in check_derivation(d).steps] == [Verdict.REFUTED, Verdict.REFUTED]


def test_a_statement_after_a_display_narrows_the_domain_for_what_follows(tmp_path: Path) -> None:
    (d,) = _read(
        tmp_path,
        HEAD + "% derivcheck: data \\sigma i\n\\[ \\sum_{i=1}^{N} \\sigma_i^2 = \\sum_{i=1}^{N} "
        "\\sigma_i \\sigma_i \\]\nFrom now on $\\sigma_i > 0$ for all $i$.\n\\[ \\sqrt{\\sigma_i^2} = \\sigma_i \\]\n",
    )
    assert [s.verdict for s in check_derivation(d).steps] == [Verdict.PROVED, Verdict.PROVED]
    assert any("read as '% derivcheck: data \\sigma i positive'" in s for s in d.stated)


def test_statements_that_cannot_be_used_leave_no_counterexample_trusted(tmp_path: Path) -> None:
    (d,) = _read(
        tmp_path,
        HEAD + "% derivcheck: data p i\n% derivcheck: data \\sigma i\n"
        "Here $0 \\le p_i \\le 1$ and $\\sigma_1 > 0$.\n\\[ \\log p_i > 0 \\]\n",
    )
    assert len(d.ctx.unread) == 2
    assert [s.verdict for s in check_derivation(d).steps] != [Verdict.REFUTED]


def test_a_statement_about_one_entry_that_follows_from_the_domain_is_nothing_new(tmp_path: Path) -> None:
    (d,) = _read(
        tmp_path,
        HEAD + "% derivcheck: data \\sigma i positive\nHere $\\sigma_1 > 0$ and $\\sigma_i \\neq 0$.\n\\[ \\sigma_i > 0 \\]\n",
    )
    assert d.ctx.unread == [] and [s.verdict for s in check_derivation(d).steps] == [Verdict.PROVED]


def test_a_closed_statement_never_gives_the_provers_a_strict_sign(tmp_path: Path) -> None:
    (d,) = _read(tmp_path, HEAD + "Weights $w_i \\ge 0$ for all $i$.\n\\[ \\frac{w_i}{w_i + 1} > 0 \\]\n")
    assert [s.verdict for s in check_derivation(d).steps] == [Verdict.REFUTED]


def test_positive_weights_summing_to_one_are_drawn_on_the_simplex(tmp_path: Path) -> None:
    ctx = Context()
    (k_dim,) = ctx.dims("K")
    k = ctx.index("k", k_dim)
    pi = ctx.indexed("pi", k, positive=True)
    ctx.assume(sp.Eq(sp.Sum(pi[k], (k, 1, k_dim)), 1), because="mixture weights")
    instances = draw_instances(ctx, 1, 12, 4)
    assert len(instances) == 12
    assert all(sum(inst.exact[pi]) == 1 and all(v > 0 for v in inst.exact[pi]) for inst in instances)
    (d,) = _read(
        tmp_path,
        "\\section{Weights}\n% derivcheck: dims K\n% derivcheck: index k K\n"
        "% derivcheck: data \\pi k positive\n% derivcheck: assume \\sum_{k=1}^{K} \\pi_k = 1\n"
        "\\[ \\sum_{k=1}^{K} \\pi_k^2 = 1 \\]\n\\[ \\pi_k > 0 \\]\n",
    )
    assert [s.verdict for s in check_derivation(d).steps] == [Verdict.REFUTED, Verdict.PROVED]


def test_the_text_states_domains_as_sets_and_for_several_names(tmp_path: Path) -> None:
    (d,) = _read(
        tmp_path,
        "\\section{Sets}\n% derivcheck: dims N\n% derivcheck: index j N\n"
        "Let $\\sigma_j \\in \\mathbb{R}_{>0}$, $a_j, b_j \\in (0, 1)$ and $z_j \\neq 0$.\n"
        "\\[ \\sqrt{\\sigma_j^2} = \\sigma_j \\]\n\\[ \\log(a_j b_j) < 0 \\]\n\\[ z_j^2 > 0 \\]\n\\[ z_j > 0 \\]\n",
    )
    domains = {str(b): decl.domain_words() for b, decl in d.ctx.data.items()}
    assert domains == {"sigma": "> 0", "a": "in (0, 1)", "b": "in (0, 1)", "z": "≠ 0"}
    P, R = Verdict.PROVED, Verdict.REFUTED
    assert [s.verdict for s in check_derivation(d).steps] == [P, P, P, R]
