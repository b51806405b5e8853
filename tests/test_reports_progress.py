"""Progress: each derivation's report is written as soon as it is known, in the final order."""

from __future__ import annotations

import pytest

from derivcheck_steps.cli import main
from derivcheck_steps.runner import Selection, check_all
from derivcheck_steps.settings import Settings


class _Found:
    def __init__(self, name: str) -> None:
        self.id = name
        self.derivation = name


def test_each_result_is_reported_before_the_next_derivation_is_checked(monkeypatch):
    import derivcheck_steps.engine

    events = []
    def check_derivations(ds, settings, use_cache=False, on_result=None):  # the engine streams each result
        out = []
        for d in ds:
            events.append(f"check {d}")
            out.append(d)
            on_result(d)
        return out

    monkeypatch.setattr(derivcheck_steps.engine, "check_derivations", check_derivations)
    sel = Selection(found=[_Found("a"), _Found("b")])
    results = check_all(sel, Settings(), jobs=1, use_cache=False, on_result=lambda r: events.append(f"report {r}"))
    assert results == ["a", "b"]
    assert events == ["check a", "report a", "check b", "report b"]


def test_help_states_the_exit_status_precedence(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "3 > 2 > 1 > 0" in out and "internal error" in out and "input problem" in out
    for option in ("--no-timing", "--color", "--strict", "--no-cache", "--json"):
        assert option in out


def test_latex_help_lists_the_options_check_has(capsys):
    with pytest.raises(SystemExit):
        main(["latex", "--help"])
    out = capsys.readouterr().out
    for option in ("--strict", "--json", "--no-cache"):
        assert option in out
