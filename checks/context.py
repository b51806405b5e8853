"""Context: the declared symbols of a derivation, with nothing assumed silently.

A context holds dimensions (positive integers), scalars with assumptions, matrices and
vectors with shapes, index ranges, indexed data (``x_j^{(i)}``), invertibility facts and,
for random derivations, i.i.d. random families. Provers read the assumptions from here;
samplers draw instances that respect them.

>>> ctx = Context()
>>> N, n = ctx.dims("N n")
>>> X = ctx.matrix("X", N, n)
>>> X.shape
(N, n)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

import sympy as sp

from derivcheck_steps.declared import DataDecl, Fact, IndexDecl, Invertible, ScalarDecl, _bound, entry_domain
from derivcheck_steps.errors import DeclarationError
from derivcheck_steps.quoting import quoted

if TYPE_CHECKING:
    from derivcheck_steps.constraints import Constraint
    from derivcheck_steps.randomness import Distribution


@dataclass
class Context:
    """The declared symbols of a derivation; see the module docstring."""

    name: str = "context"
    dims_: dict[sp.Symbol, tuple[int, int]] = field(default_factory=dict)
    scalars: dict[sp.Symbol, ScalarDecl] = field(default_factory=dict)
    matrices: dict[sp.MatrixSymbol, tuple[sp.Expr, sp.Expr]] = field(default_factory=dict)
    indices: dict[sp.Symbol, IndexDecl] = field(default_factory=dict)
    data: dict[sp.IndexedBase, DataDecl] = field(default_factory=dict)
    invertibles: list[Invertible] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    definitions: dict[sp.Basic, sp.Basic] = field(default_factory=dict)
    latex_names: dict[sp.Basic, str] = field(default_factory=dict)
    families: dict = field(default_factory=dict)  # name -> RandomFamily (see derivcheck_steps.randomness)
    independent_groups: list[frozenset[str]] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # a document's declarations that could not be read
    symmetric: list[sp.MatrixSymbol] = field(default_factory=list)  # declared M = Mᵀ (also in properties)
    properties: dict[sp.MatrixSymbol, frozenset[str]] = field(default_factory=dict)  # see derivcheck_steps.properties
    constraints: list = field(default_factory=list)  # Constraint (derivcheck_steps.constraints): Σ y = 1, ‖u‖ = 1, one-hot
    unread_where: list[str] = field(default_factory=list)  # where those declarations are (file:line:column)
    unread_text: list[str] = field(default_factory=list)  # what they say ("assume W \\succeq 0")
    random_vectors: dict = field(default_factory=dict)  # name -> RandomVector (see derivcheck_steps.random_vectors)

    # -- declarations -------------------------------------------------------------------
    def _claim_name(self, name: str) -> None:
        if not name or not name.replace("_", "").replace("'", "").isalnum():
            raise DeclarationError(f"invalid symbol name {quoted(name)}: use letters, digits and _")
        taken = {s.name for s in (*self.dims_, *self.scalars, *self.indices)}
        taken |= {m.name for m in self.matrices} | {str(b) for b in self.data}
        taken |= set(self.families) | {str(d) for d in self.definitions}
        if name in taken:
            raise DeclarationError(f"symbol {quoted(name)} is declared twice in context {quoted(self.name)}")

    def _latex(self, obj: sp.Basic, latex: str | None) -> None:
        if latex is not None:
            self.latex_names[obj] = latex

    def dim(self, name: str, *, low: int = 1, high: int = 4, latex: str | None = None) -> sp.Symbol:
        """Declare a dimension: a positive integer, sampled in ``low..high``."""
        self._claim_name(name)
        if not 1 <= low <= high:
            raise DeclarationError(f"dimension {name}: need 1 <= low <= high, got {low}..{high}")
        sym = sp.Symbol(name, integer=True, positive=True)
        self.dims_[sym] = (low, high)
        self._latex(sym, latex)
        return sym

    def dims(self, names: str) -> tuple[sp.Symbol, ...]:
        """Declare several dimensions at once, separated by spaces."""
        return tuple(self.dim(nm) for nm in names.split())

    def scalar(
        self,
        name: str,
        *,
        positive: bool = False,
        nonnegative: bool = False,
        nonzero: bool = False,
        interval: tuple[object, object] | None = None,
        integer: bool = False,
        latex: str | None = None,
    ) -> sp.Symbol:
        """Declare a real scalar; ``interval=(a, b)`` is the open interval a < s < b; ``integer`` an integer one."""
        self._claim_name(name)
        if integer and interval is not None:
            raise DeclarationError(f"scalar {name}: an integer scalar takes positive, nonnegative or nonzero, not an interval")
        low = high = None
        if interval is not None:
            if not isinstance(interval, (tuple, list)) or len(interval) != 2:
                raise DeclarationError(f"scalar {name}: interval=(low, high) takes two numbers, got {interval!r}")
            low, high = (_bound(name, v) for v in interval)
            if not low < high:
                raise DeclarationError(f"scalar {name}: empty interval ({low}, {high}): the lower end must be below the upper")
        if positive or (low is not None and low >= 0):
            low = max(low, Fraction(0)) if low is not None else Fraction(0)
            positive = True
        assumptions: dict[str, bool] = {"real": True, **({"integer": True} if integer else {})}
        if positive:
            assumptions["positive"] = True
        elif nonnegative:
            assumptions["nonnegative"] = True
        if nonzero and not positive:
            assumptions["nonzero"] = True
        sym = sp.Symbol(name, **assumptions)
        self.scalars[sym] = ScalarDecl(sym, low, high, nonzero or positive, nonnegative or positive, integer)
        self._latex(sym, latex)
        return sym

    def matrix(self, name: str, rows: sp.Expr | int, cols: sp.Expr | int, *, latex: str | None = None) -> sp.MatrixSymbol:
        """Declare a real matrix of the given shape; its transpose is a real transpose."""
        self._claim_name(name)
        for d in (rows, cols):
            if not (isinstance(d, int) and d >= 1) and d not in self.dims_:
                raise DeclarationError(f"matrix {name}: shape entry {d} is not a declared dimension")
        mat = sp.MatrixSymbol(name, rows, cols)
        self.matrices[mat] = (mat.shape[0], mat.shape[1])
        self._latex(mat, latex)
        return mat

    def vector(self, name: str, size: sp.Expr | int, *, latex: str | None = None) -> sp.MatrixSymbol:
        """Declare a real column vector (a ``size`` x 1 matrix)."""
        return self.matrix(name, size, 1, latex=latex)

    def index(self, name: str, upper: sp.Expr, *, latex: str | None = None) -> sp.Symbol:
        """Declare a summation index ranging over ``1..upper``."""
        self._claim_name(name)
        if upper not in self.dims_:
            raise DeclarationError(f"index {name}: upper bound {upper} is not a declared dimension")
        sym = sp.Symbol(name, integer=True, positive=True)
        self.indices[sym] = IndexDecl(sym, upper)
        self._latex(sym, latex)
        return sym

    def indexed(
        self,
        name: str,
        *indices: sp.Symbol,
        positive: bool = False,
        nonnegative: bool = False,
        nonzero: bool = False,
        interval: tuple[object, object] | None = None,
        latex: str | None = None,
    ) -> sp.IndexedBase:
        """Declare real data indexed by declared indices, e.g. ``x[i, j]`` for x_j^(i).

        ``positive``, ``nonnegative``, ``nonzero`` or ``interval=(a, b)`` (open) is the domain of every
        entry, as for :meth:`scalar`: provers see it in the entries' assumptions, samplers draw inside it.
        """
        self._claim_name(name)
        for ix in indices:
            if ix not in self.indices:
                raise DeclarationError(f"data {name}: {ix} is not a declared index")
        domain = entry_domain(name, positive=positive, nonnegative=nonnegative, nonzero=nonzero, interval=interval)
        base = sp.IndexedBase(name, **domain["assumptions"])
        self.data[base] = DataDecl(base, tuple(indices), **domain["fields"])
        self._latex(base, latex)
        return base

    def restrict_data(
        self,
        base: sp.IndexedBase,
        *,
        positive: bool = False,
        nonnegative: bool = False,
        nonzero: bool = False,
        interval: tuple[object, object] | None = None,
    ) -> sp.IndexedBase:
        """Narrow the domain of declared data (a statement after its declaration: σ_j > 0 for all j).

        The new domain is the old one intersected with the stated one; the data gets a new base with
        those assumptions (returned), and the old base becomes an alias that takes the same values.
        """
        from derivcheck_steps.data_domains import restricted

        return restricted(self, base, positive=positive, nonnegative=nonnegative, nonzero=nonzero, interval=interval)

    def centred(self, base: sp.IndexedBase, over: sp.Symbol) -> None:
        """Declare that the entries of ``base`` sum to zero over index ``over`` (centred features)."""
        decl = self.data.get(base)
        if decl is None or over not in decl.indices:
            raise DeclarationError(f"centred: {base} is not declared data indexed by {over}")
        if decl.restricted:
            raise DeclarationError(f"centred: {base} has entries {decl.domain_words()}; centring moves them out of it")
        self.data[base] = DataDecl(decl.base, decl.indices, over)

    def random(self, name: str, *indices: sp.Symbol, dist: Distribution, latex: str | None = None) -> sp.IndexedBase:
        """Declare an i.i.d. random family, e.g. ``m[i, j] ~ Bernoulli(p)`` over (i, j)."""
        from derivcheck_steps.randomness import RandomFamily

        self._claim_name(name)
        for ix in indices:
            if ix not in self.indices:
                raise DeclarationError(f"random family {name}: {ix} is not a declared index")
        self._law_without_indices(name, dist)
        base = sp.IndexedBase(name, real=True)
        self.families[name] = RandomFamily(base, tuple(indices), dist)
        self._latex(base, latex)
        return base

    def _law_without_indices(self, name: str, dist: Distribution) -> None:
        """Refuse a family law whose parameters name an index (``normal 0 \\sigma_i^2``).

        A family's entries share one law: a parameter written with an index would be one fixed entry
        (σ_i for a particular i), not each entry's own, and every step about the family would be
        checked against the wrong law.
        """
        for param in dist.params:
            named = sorted((s for s in sp.sympify(param, strict=True).free_symbols if s in self.indices), key=str)
            if named:
                ix, shown = sp.latex(named[0]), sp.latex(sp.Symbol(name))
                raise DeclarationError(
                    f"random family {shown}: its law's parameter {sp.latex(param)} depends on the index {ix}, but "
                    f"all entries of a family share one law; declare a standard family and scale it, e.g. "
                    f"`random z {ix} normal 0 1` and write s_{{{ix}}} z_{{{ix}}} for {shown}_{{{ix}}} "
                    f"(s_{{{ix}}}: the data of the scale)")

    def independent(self, *names: str) -> None:
        """Declare that the named random families are mutually independent."""
        for nm in names:
            if nm not in self.families and nm not in self.random_vectors:
                raise DeclarationError(f"independent: {quoted(nm)} is not a declared random family")
        self.independent_groups.append(frozenset(names))

    def are_independent(self, a: str, b: str) -> bool:
        """Whether two families were declared independent."""
        return any(a in g and b in g for g in self.independent_groups)

    def family_of(self, base: sp.Basic) -> object | None:
        """The random family whose base is ``base``, if any."""
        fam = self.families.get(str(base))
        return fam if fam is not None and fam.base == base else None

    def invertible(self, matrix: sp.Expr, *, because: str) -> None:
        """Declare that a square matrix expression is invertible, and say why."""
        if not getattr(matrix, "is_Matrix", False) or matrix.shape[0] != matrix.shape[1]:
            raise DeclarationError(f"invertible: {matrix} is not a square matrix expression")
        if not because.strip():
            raise DeclarationError("invertible: give the reason it holds (because=...)")
        self.invertibles.append(Invertible(matrix, because))

    def define(self, name: str, value: sp.Basic, *, latex: str | None = None) -> sp.Basic:
        """Name an expression (``x′ := x − εw``); checks substitute the definition."""
        self._claim_name(name)
        if getattr(value, "is_Matrix", False):
            sym = sp.MatrixSymbol(name, *value.shape)
        else:
            sym = sp.Symbol(name, real=True)
        self.definitions[sym] = value
        self._latex(sym, latex)
        return sym

    def unfold(self, e: sp.Basic, *, keep: frozenset = frozenset()) -> sp.Basic:
        """``e`` with every defined name replaced by its definition, then the declared matrix facts and
        constraints applied (``Mᵀ`` is ``M`` for a symmetric ``M``, ``Σ y = 1``: see :mod:`derivcheck_steps.properties`).

        ``keep``: symbols whose facts are not used (a gradient step's variable).
        """
        for _ in range(len(self.definitions)):
            new = e.xreplace(self.definitions)
            if new == e:
                break
            e = new
        if self.has_matrix_facts():  # every instance is drawn with the declared facts
            from derivcheck_steps.properties import apply_matrix_facts

            e = apply_matrix_facts(e, self, keep=keep)
        return e

    def has_matrix_facts(self) -> bool:
        """Whether a matrix property or a constraint is declared (then steps are unfolded with them);
        centred data (Σ_i x_i = 0) is such a constraint."""
        return bool(self.properties or self.constraints or any(d.centred_over is not None for d in self.data.values()))

    def matrix_property(self, matrix: sp.Basic, *words: str) -> None:
        """Declare properties of a declared square matrix: symmetric, diagonal, pd, psd, orthogonal, invertible."""
        from derivcheck_steps.properties import declare_property

        declare_property(self, matrix, words)

    def constrain(self, constraint: Constraint) -> None:
        """Add an equality constraint (:class:`derivcheck_steps.constraints.Constraint`); one per target."""
        if any(c.target == constraint.target for c in self.constraints):
            raise DeclarationError(f"{constraint.target} already has a constraint: declare one per vector")
        self.constraints.append(constraint)

    def assume(self, relation: sp.Basic, *, because: str) -> None:
        """Declare ``expr != 0`` (``sp.Ne(expr, 0)``), ``expr > 0``, or ``M = Mᵀ`` (a symmetric matrix), and why.

        Provers may use it; samplers keep only instances where it holds.
        """
        if not because.strip():
            raise DeclarationError("assume: give the reason it holds (because=...)")
        from derivcheck_steps.properties import property_claim

        claim = property_claim(relation, self)
        if claim is not None:  # M = Mᵀ, QᵀQ = I
            self.matrix_property(*claim)
            return
        if isinstance(relation, sp.Eq):
            from derivcheck_steps.constraints import constraint_of

            constraint = constraint_of(relation, self)
            if constraint is not None:
                self.constrain(constraint)
                return
        scalar = not any(getattr(side, "is_Matrix", False) for side in getattr(relation, "args", ()))
        if isinstance(relation, sp.Unequality) and scalar:
            kind, expr = "nonzero", relation.lhs if relation.rhs == 0 else relation.lhs - relation.rhs
        elif isinstance(relation, sp.StrictGreaterThan) and scalar:  # a > b is a − b > 0
            kind, expr = "positive", relation.lhs if relation.rhs == 0 else relation.lhs - relation.rhs
        elif isinstance(relation, sp.StrictLessThan) and scalar:
            kind, expr = "positive", relation.rhs - relation.lhs
        else:
            raise DeclarationError("assume: expected Ne(expr, 0), expr > 0, M = M^T, Q^T Q = I, "
                                   f"a sum of entries = c or a squared norm = c, got {relation}")
        stand_in = sp.Symbol(f"_fact{len(self.facts)}", real=True, **{kind: True})
        self.facts.append(Fact(expr, kind, because, stand_in))

    def with_facts(self, e: sp.Basic) -> sp.Basic:
        """``e`` rewritten so that SymPy's assumptions see every declared fact.

        Each assumed expression becomes a symbol with the assumed property, and each scalar
        bounded on both sides, a < s < b, becomes a + (b − a)·u/(1 + u) with u > 0 (a bijection
        onto the interval), so that signs such as 1 − p > 0 for 0 < p < 1 follow.
        """
        for fact in self.facts:
            e = e.subs(fact.expr, fact.stand_in)
            if fact.expr.has(sp.Sum) and e.has(sp.Sum):  # the fact's sums as the constraints name them too
                from derivcheck_steps.constraints import _canonical_dummies

                e = e.subs(_canonical_dummies(fact.expr), fact.stand_in)
        bounded = {}
        for sym, decl in self.scalars.items():
            if decl.low is not None and decl.high is not None and sym in e.free_symbols:
                u = sp.Symbol(f"_u_{sym.name}", positive=True)
                low, high = sp.Rational(decl.low), sp.Rational(decl.high)
                bounded[sym] = low + (high - low) * u / (1 + u)
        e = e.xreplace(bounded) if bounded else e
        if e.has(sp.Indexed):  # data entries in an interval, a < p_j < b, the same way
            from derivcheck_steps.data_domains import bounded_entries

            e = bounded_entries(e, self)
        return e

    # -- queries -------------------------------------------------------------------------
    def range_of(self, index: sp.Symbol) -> sp.Expr:
        """The upper bound of a declared index."""
        try:
            return self.indices[index].upper
        except KeyError:
            raise DeclarationError(f"{index} is not a declared index") from None

    def is_declared(self, obj: sp.Basic) -> bool:
        """Whether a symbol, matrix or indexed base belongs to this context."""
        return (
            obj in self.scalars
            or obj in self.dims_
            or obj in self.matrices
            or obj in self.indices
            or obj in self.data
            or any(obj in decl.aliases for decl in self.data.values())  # data read before its domain was narrowed
            or obj in self.definitions
            or self.family_of(obj) is not None
        )

    def __repr__(self) -> str:
        parts = [f"dims={sorted(s.name for s in self.dims_)}"]
        parts.append(f"scalars={sorted(s.name for s in self.scalars)}")
        if self.matrices:
            parts.append("matrices=" + ", ".join(f"{m.name}:{r}x{c}" for m, (r, c) in self.matrices.items()))
        return f"Context({self.name!r}, {'; '.join(parts)})"


__all__ = ["Context", "DataDecl", "Fact", "IndexDecl", "Invertible", "ScalarDecl"]
