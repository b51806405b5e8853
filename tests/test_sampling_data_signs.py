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
