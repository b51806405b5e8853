"""The LaTeX front end and back end.

Reading (LaTeX source -> derivations):
    tokens.py         LaTeX source -> tokens with columns; matched braces and \\left/\\right
    notation.py       the notation table: one entry per construct (trigger, precedence, builder),
                      with calculus.py (functions, names) and derivatives.py (sums, derivatives)
    names.py          one canonical spelling per name (\\sigma_w == \\sigma_{w})
    formulas.py       the precedence parser: one formula -> SymPy, with the declarations in scope
    declarations.py   ``% derivcheck:`` declarations -> Context entries
    documents.py      displays, directives and source locations -> Derivations
    rows.py           a display -> rows (robust to unbalanced braces), a row -> relations
    items.py          rows -> items: one per relation, definitions, premises, justifications
    chains.py         items -> located steps (chains, inequality claims, UNKNOWNs for unreadable rows)

Writing (results -> documents):
    printer.py        the one LaTeX printer of expressions
    writeup.py        checked derivations -> .tex writeups (and the entry point for .md)
    markdown.py       checked derivations -> .md writeups and notebook renderings
    layout.py         what both share: checked items, figures, formulas broken into lines
    escaping.py       input text made inert for LaTeX and Markdown/HTML (no payloads)
    pdf.py            compiling a writeup with pdflatex
    roundtrip.py      every printed formula reads back as an equal formula
"""
