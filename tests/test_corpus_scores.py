"""The blind corpus, scored against its answer keys: no wrong step passes, no row vanishes.

The documents in tests/corpus/ were written from the user documentation only (not from the
source), with planted mistakes and a key per document; see tests/corpus/README.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_score import keyed_documents, score_document

DOCUMENTS = keyed_documents()


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_corpus_document_is_scored_soundly(doc: Path, tmp_path: Path) -> None:
    score = score_document(doc, tmp_path)
    assert score.exit_code in (0, 1, 2), f"exit code {score.exit_code}: 3 is an internal error"
    assert not score.unsound, "a wrong step passed: " + "; ".join(score.unsound)
    assert not score.unmatched, f"keyed steps with no step in the report (vanished rows) at lines {score.unmatched}"
    assert not score.false_alarms, "a correct step was refuted: " + "; ".join(score.false_alarms)


def test_corpus_is_there() -> None:
    assert len(DOCUMENTS) >= 40, f"the corpus has {len(DOCUMENTS)} keyed documents, 40 are expected"
