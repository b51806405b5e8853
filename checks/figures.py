"""Figures of numeric experiments: data the experiment returns, drawn by matplotlib when it is installed.

An experiment may return ``(agrees, detail, Figure(...))``. Drawing is optional
(``pip install 'derivcheck[plots]'``): without matplotlib, writeups say the figure was not drawn
and everything else works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Series:
    """One line or set of points: ``style`` is "line", "points" or "marker" (a single highlighted point)."""

    label: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    style: str = "line"


@dataclass(frozen=True)
class Figure:
    """A 2-D plot described by data, so checking never depends on a plotting library."""

    title: str
    xlabel: str
    ylabel: str
    series: tuple[Series, ...] = field(default_factory=tuple)
    logx: bool = False
    logy: bool = False


def can_draw() -> bool:
    """Whether matplotlib is importable."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def draw(figure: Figure, path: Path) -> bool:
    """Draw ``figure`` to ``path`` (.pdf or .png); False when matplotlib is not installed."""
    if not can_draw():
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for s in figure.series:
        if s.style == "points":
            ax.plot(s.x, s.y, "o", markersize=4, label=s.label)
        elif s.style == "marker":
            ax.plot(s.x, s.y, "*", markersize=12, label=s.label)
        else:
            ax.plot(s.x, s.y, "-", linewidth=1.5, label=s.label)
    ax.set_title(figure.title, fontsize=10)
    ax.set_xlabel(figure.xlabel)
    ax.set_ylabel(figure.ylabel)
    if figure.logx:
        ax.set_xscale("log")
    if figure.logy:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"CreationDate": None} if path.suffix == ".pdf" else {}
    fig.savefig(path, metadata=metadata)  # no timestamps: the same data gives the same file
    plt.close(fig)
    return True
