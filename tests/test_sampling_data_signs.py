"""Indexed data whose sign is free meets negative entries at some instance, always: a wrong step that
holds only for w_i ≥ 0 (√(w_i²) = w_i, |w_i| = w_i) is never CHECKED by luck of the draw."""

from __future__ import annotations

from pathlib import Path

import pytest

from derivcheck_steps import Verdict, check_derivation
from derivcheck_steps.context import Context
from derivcheck_steps.latex.documents import read_document
from derivcheck_steps.sampling import draw_instances


@pytest.mark.parametrize("seed", range(40))
def test_free_sign_data_is_all_nonpositive_at_some_instance_and_mixed_at_another(seed: int) -> None:
    ctx = Context()
    (n,) = ctx.dims("N")
    i = ctx.index("i", n)
    w = ctx.indexed("w", i)
    instances = draw_instances(ctx, seed, 6, 2)
    assert any(all(v <= 0 for v in inst.exact[w].flat) for inst in instances)
    assert any(any(v > 0 for v in inst.exact[w].flat) for inst in instances)


@pytest.mark.parametrize("name", ["w", "u", "z", r"\mu", r"\theta"])
def test_a_root_of_a_square_is_not_the_entry_itself(tmp_path: Path, name: str) -> None:
    path = tmp_path / "root.tex"
    path.write_text("\\documentclass{article}\n\\begin{document}\n\\section{Roots}\n% derivcheck: dims N\n"
                    f"% derivcheck: index i N\n% derivcheck: data {name} i\n"
                    f"\\[ \\sqrt{{{name}_i^2}} = {name}_i \\]\n\\[ |{name}_i| = {name}_i \\]\n\\end{{document}}\n",
                    encoding="utf-8")
    (d,) = read_document(path)
    assert [s.verdict for s in check_derivation(d).steps] == [Verdict.REFUTED, Verdict.REFUTED]


@pytest.mark.parametrize("section", [f"Entries {k}" for k in range(6)])  # six step seeds
def test_vector_and_matrix_entries_meet_negative_values(tmp_path: Path, section: str) -> None:
    path = tmp_path / "entries.tex"
    path.write_text("\\documentclass{article}\n\\begin{document}\n\\section{" + section + "}\n"
                    "% derivcheck: dims n\n% derivcheck: index k n\n% derivcheck: index j n\n"
                    "% derivcheck: vector x n\n% derivcheck: matrix A n n\n% derivcheck: matrix S n n symmetric\n"
                    "\\[ \\sqrt{x_k^2} = x_k \\]\n\\[ |A_{kj}| = A_{kj} \\]\n\\[ |S_{kj}| = S_{kj} \\]\n\\end{document}\n",
                    encoding="utf-8")
    (d,) = read_document(path)
    assert [s.verdict for s in check_derivation(d).steps] == [Verdict.REFUTED] * 3


def test_absolute_values_dropped_from_correct_steps_are_never_proved_or_checked(tmp_path: Path) -> None:
    from derivcheck_steps.engine import check_step
    from derivcheck_steps.mutants_prove import FAMILIES

    path = tmp_path / "abs.tex"
    path.write_text("\\documentclass{article}\n\\begin{document}\n\\section{Abs}\n% derivcheck: dims N n\n"
                    "% derivcheck: index i N\n% derivcheck: index k n\n% derivcheck: data w i\n% derivcheck: vector x n\n"
                    "\\[ \\sqrt{w_i^2} = |w_i| \\]\n\\[ |x_k|^2 = x_k^2 \\]\n\\[ \\sqrt{x_k^2}\\,|w_i| = |x_k w_i| \\]\n"
                    "\\end{document}\n", encoding="utf-8")
    (d,) = read_document(path)
    assert all(s.verdict in (Verdict.PROVED, Verdict.CHECKED) for s in check_derivation(d).steps)
    mutants = [(s, m) for s in d.steps for m in FAMILIES["absolute values dropped"](d, s)]
    assert len(mutants) >= 2
    assert {check_step(d, m.as_step(s)).verdict for s, m in mutants} <= {Verdict.REFUTED, Verdict.UNKNOWN}
