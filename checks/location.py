"""Where a step was written: a file, a line and (for documents) a column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a source file; ``column`` is 0 when only the line is known (a Python derivation)."""

    file: str
    line: int
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"

    def as_dict(self) -> dict:
        """A JSON-ready view: ``{"file", "line", "column"}``."""
        return {"file": self.file, "line": self.line, "column": self.column}

    @classmethod
    def from_dict(cls, d: dict | None) -> Location | None:
        """The inverse of :meth:`as_dict` (None stays None)."""
        return None if d is None else cls(str(d["file"]), int(d["line"]), int(d.get("column", 0)))
