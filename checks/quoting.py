"""A user's text quoted in a message as it was written: ``'\\lamda'``, never Python's ``'\\\\lamda'``.

``repr`` doubles every backslash, so a LaTeX command quoted with ``!r`` reads ``'\\\\frac'``; a
message quotes the reader's own LaTeX (and any other text they wrote) with ``quoted``:

>>> print(quoted(r"\\lamda"))
'\\lamda'
>>> print(quoted("f'(x)"))
"f'(x)"
>>> print(quoted("a +\\n  b"))
'a + b'

Runs of white space (line breaks of a display) become one space, so a message stays on one line.
"""

from __future__ import annotations

import re


def quoted(text: object) -> str:
    """``text`` between single quotes (double when it holds a single quote), backslashes as written."""
    shown = re.sub(r"\s+", " ", str(text))
    if "'" in shown and '"' not in shown:
        return f'"{shown}"'
    return f"'{shown}'"
