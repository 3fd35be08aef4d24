"""Undo as a capped list of named steps (after Anki's rslib undo queue)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UNDO_LIMIT = 30


@dataclass(frozen=True)
class UndoStep:
    """One undoable change: its name for menus and the operation that reverts it."""

    name: str
    revert: Callable[[Any], Any]  # fn(store) -> Outcome, run on the store worker


class UndoStack:
    """The most recent steps, newest last; the oldest fall off past the cap."""

    def __init__(self, limit: int = UNDO_LIMIT) -> None:
        self.limit = limit
        self._steps: list[UndoStep] = []

    def push(self, step: UndoStep) -> None:
        """Records a step, dropping the oldest beyond the cap."""
        self._steps.append(step)
        del self._steps[:-self.limit]

    def pop(self) -> UndoStep | None:
        """The newest step, removed; None when there is nothing to undo."""
        return self._steps.pop() if self._steps else None

    def peek_name(self) -> str | None:
        """The name of the step Undo would revert."""
        return self._steps[-1].name if self._steps else None

    def __len__(self) -> int:
        return len(self._steps)
