"""QueryOp / CollectionOp for Viva: reads and undoable writes on the store worker, results as signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.core import wording
from desktop_app.core.errors import UserError
from desktop_app.ui.changes import OpChanges, Outcome
from desktop_app.ui.tasks import StoreWorker
from desktop_app.ui.undo import UndoStack, UndoStep

log = logging.getLogger(__name__)


class Ops(QObject):
    """The GUI's one way to the database; views listen to `changed` and refresh what concerns them."""

    changed = Signal(object, object)  # OpChanges, initiator (the widget that asked, or None)
    undo_available = Signal(str)  # name of the step Undo would revert ("" when none)
    busy = Signal(bool)
    failed = Signal(str)  # unexpected errors and errors nobody handled, for the status bar

    def __init__(self, worker: StoreWorker, undo: UndoStack | None = None) -> None:
        super().__init__()
        self.worker = worker
        self.undo_stack = undo or UndoStack()
        self._pending = 0

    # ------------------------------------------------------------ running

    def _started(self) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy.emit(True)

    def _finished(self) -> None:
        self._pending = max(0, self._pending - 1)
        if self._pending == 0:
            self.busy.emit(False)

    @property
    def pending(self) -> int:
        """Operations queued or running."""
        return self._pending

    def query(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[Exception], None] | None = None) -> None:
        """Runs a read fn(store) on the worker; on_done(result) runs on the GUI thread."""
        self._started()

        def done(result: Any) -> None:
            self._finished()
            if on_done is not None:
                on_done(result)

        self.worker.run(fn, done, lambda exc: self._error(exc, on_error))

    def change(self, fn: Callable[[Any], Outcome], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[Exception], None] | None = None, *, initiator: object = None) -> None:
        """Runs a write fn(store) -> Outcome; records its undo step and announces its changes."""
        self._started()

        def done(outcome: Outcome) -> None:
            self._finished()
            if outcome.undo is not None:
                self.undo_stack.push(UndoStep(outcome.name or "change", outcome.undo))
            self.undo_available.emit(self.undo_stack.peek_name() or "")
            self.changed.emit(outcome.changes, initiator)
            if on_done is not None:
                on_done(outcome.value)

        self.worker.run(fn, done, lambda exc: self._error(exc, on_error))

    def undo(self, on_done: Callable[[str], None] | None = None,
             on_error: Callable[[Exception], None] | None = None) -> bool:
        """Reverts the newest step; False when there is nothing to undo."""
        step = self.undo_stack.pop()
        self.undo_available.emit(self.undo_stack.peek_name() or "")
        if step is None:
            return False
        self._started()

        def done(outcome: Outcome) -> None:
            self._finished()
            self.changed.emit(outcome.changes if isinstance(outcome, Outcome) else OpChanges(), None)
            if on_done is not None:
                on_done(step.name)

        self.worker.run(step.revert, done, lambda exc: self._error(exc, on_error, prefix=f"Cannot undo {step.name}: "))
        return True

    def _error(self, exc: Exception, handler: Callable[[Exception], None] | None, prefix: str = "") -> None:
        self._finished()
        if handler is not None:
            handler(exc)
            return
        if isinstance(exc, UserError):
            self.failed.emit(prefix + wording.error_text(exc))
        else:
            log.error("operation failed", exc_info=exc)
            self.failed.emit(prefix + wording.error_text(exc))


def message_of(exc: BaseException) -> str:
    """The text to show a user for an error: one plain sentence, never a class name (core.wording)."""
    return wording.error_text(exc)
