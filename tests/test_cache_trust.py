"""Issue 17: the cache never replays a stale verdict, never trusts an edited entry, never deletes a stranger's folder.

Each case is an edit-and-rerun sequence with the cache on (the tests' private cache folder,
see conftest): the run after the edit must give the new verdict.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import sympy as sp

from derivcheck_steps import Context, Verdict, check_derivation, derivation
from derivcheck_steps import cache as result_cache
from derivcheck_steps.budget import TimedOut
from derivcheck_steps.cli import main
from derivcheck_steps.runcache import _imports_only_known

EXPAND = "\\section{Square}\n% derivcheck: context s\n% derivcheck: scalar a\n\\begin{equation}(a+1)^2 = RHS\\end{equation}\n"


def _verdicts(report: Path) -> list[str]:
    data = json.loads(report.read_text())
    return [s["verdict"] for d in data["derivations"] for s in d["steps"]]


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """derivcheck in a fresh process, as a user runs it (the cache folder comes from the environment)."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "derivcheck_steps.cli", "check", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


# -- what a Python derivation reads ----------------------------------------------------------------

READS_ENV = textwrap.dedent(
    """
    import os
    from derivcheck_steps import Context, derivation

    ctx = Context("env")
    x = ctx.scalar("x")
    c = int(os.environ["DC_TRUST_COEFFICIENT"])
    square = derivation("square", ctx)
    square.chain((x + 1) ** 2).eq(x**2 + c * x + 1, by="expand")
    """
)


def test_a_derivation_reading_an_environment_variable_gets_the_new_verdict(tmp_path, monkeypatch, capsys):
    path = tmp_path / "reads_env.py"
    path.write_text(READS_ENV)
    monkeypatch.setenv("DC_TRUST_COEFFICIENT", "2")  # (x+1)^2 = x^2 + 2x + 1: true
    assert main(["check", str(path)]) == 0
    monkeypatch.setenv("DC_TRUST_COEFFICIENT", "3")  # now false; no file changed
    assert main(["check", str(path)]) == 1
    assert "REFUTED" in capsys.readouterr().out


READS_DATA = textwrap.dedent(
    """
    import json
    from pathlib import Path
    from derivcheck_steps import Context, derivation

    ctx = Context("data")
    x = ctx.scalar("x")
    c = json.loads((Path(__file__).parent / "coefficients.json").read_text())["linear"]
    square = derivation("square", ctx)
    square.chain((x + 1) ** 2).eq(x**2 + c * x + 1, by="expand")
    """
)


def test_a_derivation_reading_a_data_file_gets_the_new_verdict(tmp_path, capsys):
    (tmp_path / "reads_data.py").write_text(READS_DATA)
    data = tmp_path / "coefficients.json"
    data.write_text(json.dumps({"linear": 2}))
    assert main(["check", str(tmp_path / "reads_data.py")]) == 0
    data.write_text(json.dumps({"linear": 3}))  # only the data file changes
    assert main(["check", str(tmp_path / "reads_data.py")]) == 1
    assert "REFUTED" in capsys.readouterr().out


# -- documents: replayed, but never through a re-pointed symlink ----------------------------------------

def test_a_re_pointed_symlink_to_a_tex_document_gets_the_new_verdict(tmp_path, capsys):
    (tmp_path / "right.tex").write_text(EXPAND.replace("RHS", "a^2 + 2a + 1"))
    (tmp_path / "wrong.tex").write_text(EXPAND.replace("RHS", "a^2 + 1"))
    link = tmp_path / "current.tex"
    link.symlink_to(tmp_path / "right.tex")
    assert main(["check", str(link)]) == 0
    assert main(["check", str(link)]) == 0
    assert "nothing changed" in capsys.readouterr().err  # a document is replayed while nothing changed
    link.unlink()
    link.symlink_to(tmp_path / "wrong.tex")  # neither file changes, only where the link points
    assert main(["check", str(link)]) == 1
    assert "REFUTED" in capsys.readouterr().out


# -- experiments and their helper modules ---------------------------------------------------------------

EXPERIMENT = textwrap.dedent(
    """
    from derivcheck_steps import Context, derivation

    ctx = Context("experiment")
    x = ctx.scalar("x")

    def _within_tolerance(rng):
        IMPORT
        error = 0.2  # what the simulation measured
        return error < TOLERANCE, f"error {error} against tolerance {TOLERANCE}"

    algebra = derivation("algebra", ctx)
    algebra.chain((x + 1) ** 2).eq(x**2 + 2 * x + 1, by="expand")
    simulation = derivation("simulation", ctx)
    simulation.experiment("the simulation is within tolerance", _within_tolerance)
    """
)


def _experiment_sequence(tmp_path: Path, import_line: str, *jobs: str) -> list[list[str]]:
    (tmp_path / "tolerance_helper.py").write_text("TOLERANCE = 0.5\n")
    (tmp_path / "simulate.py").write_text(EXPERIMENT.replace("IMPORT", import_line))
    verdicts = []
    for edit in (None, "TOLERANCE = 0.05\n"):  # a different size too, so no stale bytecode can hide it
        if edit:
            (tmp_path / "tolerance_helper.py").write_text(edit)
        report = tmp_path / "report.json"
        proc = _cli(tmp_path, "simulate.py", *jobs, "--json", str(report))
        assert proc.returncode in (0, 1), proc.stderr
        verdicts.append(_verdicts(report))
    return verdicts


def test_an_edited_helper_module_of_an_experiment_gets_the_new_verdict(tmp_path):
    before, after = _experiment_sequence(tmp_path, "from tolerance_helper import TOLERANCE")
    assert before == ["PROVED", "CHECKED"]  # 0.2 < 0.5
    assert after == ["PROVED", "UNKNOWN"]  # 0.2 < 0.05 is false: the experiment no longer agrees


def test_a_helper_imported_lazily_in_worker_processes_gets_the_new_verdict(tmp_path):
    before, after = _experiment_sequence(tmp_path, "from tolerance_helper import TOLERANCE", "-j", "2")
    assert before == ["PROVED", "CHECKED"]
    assert after == ["PROVED", "UNKNOWN"]


SLOW_EXPERIMENTS = textwrap.dedent(
    """
    import time
    from derivcheck_steps import Context, derivation

    ctx = Context("experiments")

    def _within_tolerance(rng):
        from tolerance_helper import TOLERANCE
        time.sleep(0.2)  # long enough that every worker process takes some of the jobs
        return 0.2 < TOLERANCE, f"error 0.2 against tolerance {TOLERANCE}"

    """
) + "".join(f"s{k} = derivation('simulation {k}', ctx)\ns{k}.experiment('within tolerance', _within_tolerance)\n"
            for k in range(6))


def test_worker_processes_of_one_python_process_see_the_edited_helper_too(tmp_path, monkeypatch):
    # In one process (a notebook, the pytest plugin), -j twice: a worker kept from the first run
    # would still hold the old helper module; the second run must use the edited one.
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "tolerance_helper", raising=False)
    (tmp_path / "tolerance_helper.py").write_text("TOLERANCE = 0.5\n")
    (tmp_path / "slow_simulations.py").write_text(SLOW_EXPERIMENTS)
    verdicts = []
    for edit in (None, "TOLERANCE = 0.05\n"):
        if edit:
            (tmp_path / "tolerance_helper.py").write_text(edit)
        main(["check", str(tmp_path / "slow_simulations.py"), "-j", "2", "-q", "--json", str(tmp_path / "r.json")])
        verdicts.append(_verdicts(tmp_path / "r.json"))
    assert verdicts == [["CHECKED"] * 6, ["UNKNOWN"] * 6]


# -- time-outs ----------------------------------------------------------------------------------------

def _slow_machine(*args, **kwargs):
    raise TimedOut("timed out after 20 s")


def _too_slow(m) -> None:
    """This run, the machine is too slow: every budgeted step times out (in a worker or a thread)."""
    import derivcheck_steps.budget
    import derivcheck_steps.steprunner

    m.setattr(derivcheck_steps.budget.Worker, "call", _slow_machine)
    m.setattr(derivcheck_steps.steprunner, "run_with_budget", _slow_machine)


def test_a_timeout_is_not_replayed_by_the_run_cache(tmp_path, monkeypatch, capsys):
    doc = tmp_path / "square.tex"
    doc.write_text(EXPAND.replace("RHS", "a^2 + 2a + 1"))
    with monkeypatch.context() as m:
        _too_slow(m)
        main(["check", str(doc)])
    assert "UNKNOWN" in capsys.readouterr().out
    assert main(["check", str(doc)]) == 0  # same command, a machine fast enough: checked, not replayed
    out = capsys.readouterr()
    assert "PROVED" in out.out and "nothing changed" not in out.err


def test_a_timeout_is_not_stored_by_the_step_cache(monkeypatch):
    ctx = Context("timeout")
    x = ctx.scalar("x")
    d = derivation("square", ctx, id="trust::timeout")
    d.chain((x + 1) ** 2).eq(x**2 + 2 * x + 1, by="expand")
    with monkeypatch.context() as m:
        _too_slow(m)
        assert check_derivation(d, use_cache=True).steps[0].verdict == Verdict.UNKNOWN
    assert check_derivation(d, use_cache=True).steps[0].verdict == Verdict.PROVED


# -- integrity -------------------------------------------------------------------------------------------

def _hand_edit(folder: Path, old: str, new: str) -> int:
    """Edit every cache entry under ``folder`` as a person with a text editor would; how many changed."""
    changed = 0
    for path in folder.rglob("*.json"):
        text = path.read_text()
        edited = re.sub(old, new, text)
        if edited != text:
            path.write_text(edited)
            changed += 1
    return changed


def test_a_hand_edited_run_entry_is_discarded_and_checked_again(tmp_path, capsys):
    doc = tmp_path / "wrong.tex"
    doc.write_text(EXPAND.replace("RHS", "a^2 + 1"))
    assert main(["check", str(doc)]) == 1
    capsys.readouterr()
    runs = result_cache.cache_dir() / "runs"
    assert _hand_edit(runs, "REFUTED", "PROVED") == 1
    assert _hand_edit(runs, r'("exit\\?": )1', r"\g<1>0") == 1  # and the exit status with it
    assert main(["check", str(doc)]) == 1
    out = capsys.readouterr()
    assert "REFUTED" in out.out and "discarded a damaged or edited cache entry" in out.err


def test_a_hand_edited_step_entry_is_discarded_and_checked_again():
    ctx = Context("tamper")
    x = ctx.scalar("x")
    d = derivation("square", ctx, id="trust::tamper")
    d.chain((x + 1) ** 2).eq(x**2 + 1, by="expand")  # wrong
    assert check_derivation(d, use_cache=True).steps[0].verdict == Verdict.REFUTED
    assert _hand_edit(result_cache.cache_dir() / "steps", "REFUTED", "PROVED") == 1
    assert check_derivation(d, use_cache=True).steps[0].verdict == Verdict.REFUTED


def test_an_entry_copied_under_another_key_is_discarded():
    ctx = Context("copy")
    x = ctx.scalar("x", positive=True)
    right, wrong = derivation("right", ctx, id="trust::copy"), derivation("wrong", ctx, id="trust::copy")
    right.claim(sp.Eq(sp.sqrt(x**2), x, evaluate=False), by="x > 0")
    wrong.claim(sp.Eq(sp.sqrt(x**2), 2 * x, evaluate=False), by="x > 0")
    check_derivation(right, use_cache=True)
    check_derivation(wrong, use_cache=True)
    entries = sorted((result_cache.cache_dir() / "steps").rglob("*.json"))
    assert len(entries) == 2
    proved = next(p for p in entries if "PROVED" in p.read_text())
    refuted = next(p for p in entries if p != proved)
    refuted.write_bytes(proved.read_bytes())  # a genuine PROVED entry, filed under the wrong step's key
    assert check_derivation(wrong, use_cache=True).steps[0].verdict == Verdict.REFUTED


# -- the folder ----------------------------------------------------------------------------------------

def test_the_cache_folder_is_marked_with_a_cachedir_tag(tmp_path, capsys):
    doc = tmp_path / "square.tex"
    doc.write_text(EXPAND.replace("RHS", "a^2 + 2a + 1"))
    assert main(["check", str(doc)]) == 0
    tag = (result_cache.cache_dir() / "CACHEDIR.TAG").read_text()
    assert tag.splitlines()[0] == "Signature: 8a477f597d28d172789f06886806bc55"  # bford.info/cachedir


def test_clear_refuses_a_folder_that_is_not_a_marked_cache_and_deletes_nothing(tmp_path, monkeypatch, capsys):
    precious = tmp_path / "thesis"
    (precious / "chapters").mkdir(parents=True)
    (precious / "chapters" / "one.tex").write_text("my only copy")
    (precious / "notes.md").write_text("also precious")
    monkeypatch.setenv("DERIVCHECK_CACHE_DIR", str(precious))
    assert main(["cache", "--clear"]) == 2
    assert "not marked as a derivcheck cache" in capsys.readouterr().err
    assert sorted(p.relative_to(precious).as_posix() for p in precious.rglob("*")) == [
        "chapters", "chapters/one.tex", "notes.md"]


# -- what the built-ins may import to be replayed -------------------------------------------------------

def test_a_builtin_importing_only_known_modules_may_be_replayed():
    source = ("import sympy as sp\nfrom derivcheck_steps import Context\n"
              "from derivcheck_steps.derivations.dropout import feature_variance\n")
    assert _imports_only_known(source, Path(__file__).parents[1] / "derivations")


def test_a_builtin_with_a_lazy_unknown_import_or_a_file_read_is_never_replayed():
    folder = Path(__file__).parents[1] / "derivations"
    assert not _imports_only_known("def run(rng):\n    import tolerance_helper\n", folder)
    assert not _imports_only_known("def run(rng):\n    import os\n    return os.environ['K']\n", folder)
    assert not _imports_only_known("c = open('coefficients.json').read()\n", folder)
    assert not _imports_only_known("from derivcheck_steps.derivations.not_there import c\n", folder)
    assert not _imports_only_known("from derivcheck_steps.discovery import collect\nc = collect(['data.tex'])\n", folder)
