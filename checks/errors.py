"""The error types derivcheck raises: one per kind of problem, all under DerivcheckError."""

from __future__ import annotations


class DerivcheckError(Exception):
    """Base class of every error derivcheck raises on purpose."""


class DeclarationError(DerivcheckError, ValueError):
    """A context or derivation was declared wrongly (bad name, shape, duplicate, ...)."""


class InputError(DerivcheckError):
    """A user's input could not be read; ``where`` says file:line:column when known."""

    def __init__(self, message: str, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class EvaluationError(DerivcheckError):
    """An expression could not be evaluated at a numeric instance (unsupported node, pole)."""


class DerivationFailure(AssertionError):
    """A derivation has a step whose verdict is not what it should be (raised under pytest)."""
