"""Regression tests for the robustness harness itself (tests/test_documents_robustness.py)."""

from __future__ import annotations

from pathlib import Path

from test_documents_robustness import DOCUMENTS, _is_document, _step_lines

HERE = Path(__file__).resolve().parent


def test_the_harness_reads_every_corpus_document_and_not_the_corpus_readme():
    keyed = {p.name.removesuffix(".key.json") for p in HERE.glob("corpus/*.key.json")}  # one key per document
    assert {p.stem for p in DOCUMENTS if p.parent.name == "corpus"} == keyed
    assert HERE / "corpus" / "README.md" not in DOCUMENTS
    assert not _is_document(HERE / "corpus" / "README.md")
    assert {p.name for p in DOCUMENTS if p.parent.name == "documents_examples"} == \
        {p.name for p in HERE.glob("documents_examples/*") if p.suffix in (".tex", ".md")}


def test_a_declaration_only_counts_at_the_start_of_a_line(tmp_path):
    quoted = tmp_path / "notes.md"
    quoted.write_text("Declarations are `% derivcheck:` comments.\n", encoding="utf-8")
    latex = tmp_path / "a.tex"
    latex.write_text("\\section{A}\n  % derivcheck: context a\n", encoding="utf-8")
    markdown = tmp_path / "b.md"
    markdown.write_text("# B\n<!-- derivcheck: context b -->\n", encoding="utf-8")
    assert not _is_document(quoted)
    assert _is_document(latex) and _is_document(markdown)


def test_a_report_without_steps_has_no_step_lines_and_does_not_reread_the_file(tmp_path):
    unreadable = tmp_path / "x.tex"
    unreadable.write_text("\\[ a = b \\]\n", encoding="utf-8")  # no context: the reader would raise
    assert _step_lines({"derivations": [{"steps": []}]}, unreadable) == set()
