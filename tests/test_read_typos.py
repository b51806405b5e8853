"""A misspelt LaTeX command is a located error that names the command meant."""

from __future__ import annotations

import pytest

from derivcheck_steps import Context
from derivcheck_steps.latex.declarations import DeclarationScope, declare
from derivcheck_steps.latex.formulas import LatexInputError, Notation, parse_formula


def _notation() -> Notation:
    ctx = Context("typos")
    state = DeclarationScope(ctx, Notation(ctx))
    declare(state, "scalar", "z", "t:1:1")
    declare(state, "scalar", r"\sigma_w", "t:2:1")
    return state.notation


@pytest.mark.parametrize(("written", "meant"), [
    (r"\sigam + z", r"\sigma"),
    (r"\frca{z}{2}", r"\frac"),
    (r"\lamdba z", r"\lambda"),
])
def test_a_misspelt_command_names_the_one_meant(written, meant):
    with pytest.raises(LatexInputError) as err:
        parse_formula(written, _notation())
    assert f"did you mean {meant}?" in str(err.value)


def test_a_command_like_no_other_gets_no_guess():
    with pytest.raises(LatexInputError) as err:
        parse_formula(r"\qwertyuiop z", _notation())
    assert "unsupported LaTeX" in str(err.value) and "did you mean" not in str(err.value)
