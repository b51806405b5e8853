"""The LaTeX front end and back end.

Reading (LaTeX source -> derivations):
    tokens.py         LaTeX source -> tokens with columns; matched braces and \\left/\\right
    notation.py       the notation table: one entry per construct (trigger, precedence, builder),
                      with calculus.py (functions, names) and derivatives.py (sums, derivatives)
    names.py          one canonical spelling per name (\\sigma_w == \\sigma_{w})
    formulas.py       the precedence parser: one formula -> SymPy, with the declarations in scope
    declarations.py   ``% derivcheck:`` declarations -> Context entries
    documents.py      displays, rows, chains, directives and source locations -> Derivations

Writing (results -> documents):
    printer.py        the one LaTeX printer of expressions
    writeup.py        checked derivations -> .tex / .md writeups
    pdf.py            compiling a writeup with pdflatex
    roundtrip.py      every printed formula reads back as an equal formula
"""
