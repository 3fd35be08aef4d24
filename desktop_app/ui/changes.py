"""What an operation changed and how to revert it: the values operations hand back to the GUI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class OpChanges:
    """Which kinds of objects an operation touched, so each view decides whether to refresh."""

    kinds: frozenset[str] = frozenset()
    ids: tuple[str, ...] = ()

    def touches(self, *kinds: str) -> bool:
        """True if any of `kinds` changed."""
        return bool(self.kinds.intersection(kinds))


@dataclass
class Outcome:
    """An operation's result, what it changed and how to revert it (a fn(store) -> Outcome)."""

    value: Any = None
    changes: OpChanges = field(default_factory=OpChanges)
    undo: Callable[[Any], Outcome] | None = None
    name: str = ""


def changes(*kinds: str, ids: tuple[str, ...] = ()) -> OpChanges:
    """An OpChanges naming kinds (and ids)."""
    return OpChanges(frozenset(kinds), ids)
