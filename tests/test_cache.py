"""The result cache never serves a stale verdict; -j gives the same results as a serial run."""

from __future__ import annotations

import json
import textwrap

import pytest
import sympy as sp

import derivcheck_steps.engine as engine
from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps import cache as result_cache
from derivcheck_steps.cli import main


def _claim(positive: bool, claimed: sp.Expr | None = None):
    ctx = Context("cache")
    x = ctx.scalar("x", positive=positive)
    d = derivation("cached", ctx, id="cache::d")
    d.claim(sp.Eq(sp.sqrt(x**2), claimed if claimed is not None else x, evaluate=False), by="√(x²) = x")
    return d


def _no_checks(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the engine ran although the result was cached")

    monkeypatch.setattr(engine, "check_step", refuse)


def test_an_unchanged_step_is_served_from_the_cache(monkeypatch):
    first = check_derivation(_claim(True), use_cache=True).steps[0]
    _no_checks(monkeypatch)
    again = check_derivation(_claim(True), use_cache=True).steps[0]
    assert again.verdict == first.verdict == Verdict.PROVED
    assert again.as_dict() == first.as_dict()


def test_a_changed_assumption_is_never_served_a_stale_verdict():
    assert check_derivation(_claim(True), use_cache=True).steps[0].verdict == Verdict.PROVED
    # same id, same step index, same expression text — only the assumption differs
    assert check_derivation(_claim(False), use_cache=True).steps[0].verdict == Verdict.REFUTED


def test_a_changed_step_is_never_served_a_stale_verdict():
    ctx_x = _claim(True).ctx.scalars
    assert ctx_x
    assert check_derivation(_claim(True), use_cache=True).steps[0].verdict == Verdict.PROVED
    x = sp.Symbol("x", positive=True)
    assert check_derivation(_claim(True, claimed=2 * x), use_cache=True).steps[0].verdict == Verdict.REFUTED


def test_a_new_engine_version_is_never_served_an_old_verdict(monkeypatch):
    check_derivation(_claim(True), use_cache=True)
    monkeypatch.setattr(result_cache, "engine_version", lambda: "another engine")
    calls = []
    original = engine.check_step
    monkeypatch.setattr(engine, "check_step", lambda *a, **k: calls.append(1) or original(*a, **k))
    check_derivation(_claim(True), use_cache=True)
    assert calls  # recomputed


USER = textwrap.dedent(
    """
    import sympy as sp
    from derivcheck_steps import Context, derivation

    ctx = Context("user")
    x = ctx.scalar("x")
    mine = derivation("mine", ctx)
    mine.chain((x + 1) ** 2).eq(RHS, by="expand")
    """
)


def test_a_users_python_file_is_rebuilt_on_every_run_with_its_steps_from_the_step_cache(tmp_path, capsys, monkeypatch):
    path = tmp_path / "mine.py"
    path.write_text(USER.replace("RHS", "x**2 + 2*x + 1"))
    assert main(["check", str(path)]) == 0
    cold = capsys.readouterr()
    with monkeypatch.context() as m:
        _no_checks(m)  # the module is imported again, but its unchanged step is not checked again
        assert main(["check", str(path)]) == 0
    warm = capsys.readouterr()
    assert "nothing changed" not in warm.err  # never a whole-report replay for a user's Python
    assert "PROVED" in warm.out and warm.out.count("\n") == cold.out.count("\n")
    path.write_text(USER.replace("RHS", "x**2 + x + 1"))  # now wrong
    assert main(["check", str(path)]) == 1
    assert "REFUTED" in capsys.readouterr().out


def test_no_cache_neither_reads_nor_writes_and_clear_wipes(tmp_path, capsys):
    path = tmp_path / "mine.py"
    path.write_text(USER.replace("RHS", "x**2 + 2*x + 1"))
    assert main(["check", "--no-cache", str(path)]) == 0
    assert not result_cache.cache_dir().exists()
    assert main(["check", str(path)]) == 0
    assert result_cache.cache_dir().exists()
    assert main(["cache", "--clear"]) == 0
    assert not result_cache.cache_dir().exists()


@pytest.mark.parametrize("selection", [["-k", "dropout"], ["derivations/batch_size.py"]])
def test_parallel_checking_gives_the_serial_results(tmp_path, selection):
    reports = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.json"
        main(["check", *selection, "-q", "--no-cache", "--no-timing", "-j", jobs, "--json", str(out)])
        reports.append(json.loads(out.read_text()))
    assert reports[0] == reports[1]
    assert len(reports[0]["derivations"]) >= 2


def test_an_edited_latex_document_is_checked_again(tmp_path, capsys):
    doc = tmp_path / "notes.tex"
    body = "\\section{S}\n% derivcheck: context s\n% derivcheck: scalar a\n\\begin{equation}(a+1)^2 = RHS\\end{equation}\n"
    doc.write_text(body.replace("RHS", "a^2 + 2a + 1"))
    assert main(["check", str(doc)]) == 0
    assert main(["check", str(doc)]) == 0
    assert "nothing changed" in capsys.readouterr().err
    doc.write_text(body.replace("RHS", "a^2 + 1"))
    assert main(["check", str(doc)]) == 1
    assert "REFUTED" in capsys.readouterr().out


def test_step_keys_hold_no_memory_addresses_so_other_processes_can_reuse_them():
    from derivcheck_steps.discovery import collect
    from derivcheck_steps.settings import Settings
    from derivcheck_steps.stepcache import canonical

    found = collect(["derivations.ridge_regression"])
    parts = [canonical(x) for f in found for s in f.derivation.steps if s.experiment is None
             for x in (f.derivation.ctx, s, Settings())]
    assert parts and not any(" at 0x" in p for p in parts)
