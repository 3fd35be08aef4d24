"""Runs the interview runner on its own thread; its events reach the GUI through a queued signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

RunnerFactory = Callable[[Callable[[Any], None]], Any]


class RunnerBridge(QObject):
    """Owns one runner: start() runs it on a thread; commands are forwarded (the runner queues them)."""

    # An interview.events.Event, delivered on the GUI thread (not named `event`: that is QObject's virtual event()).
    interview_event = Signal(object)
    stopped = Signal(object)  # None, or the exception that ended the thread
    _from_thread = Signal(object)
    _ended = Signal(object)

    def __init__(self, factory: RunnerFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self.runner: Any = None
        self._thread: threading.Thread | None = None
        # Explicitly queued: the runner thread never touches a widget.
        self._from_thread.connect(self._relay, Qt.ConnectionType.QueuedConnection)
        self._ended.connect(self._finish, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        """Builds the runner (devices open there, off the GUI thread) and runs it on a new thread."""
        self._thread = threading.Thread(target=self._run, name="viva-interview", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.runner = self._factory(self._from_thread.emit)
            self.runner.run()
        except BaseException as exc:  # reported to the room; the session stays resumable
            log.warning("the interview runner stopped: %s", exc)
            self._ended.emit(exc)
        else:
            self._ended.emit(None)

    @Slot(object)
    def _relay(self, event: Any) -> None:
        self.interview_event.emit(event)

    @Slot(object)
    def _finish(self, exc: Any) -> None:
        self.stopped.emit(exc)

    def running(self) -> bool:
        """Whether the runner thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def command(self, name: str, *args: Any) -> bool:
        """Calls runner.<name>(*args) if the runner has it; False otherwise."""
        fn = getattr(self.runner, name, None)
        if not callable(fn):
            return False
        fn(*args)
        return True

    def join(self, timeout: float = 5.0) -> None:
        """Waits for the runner thread (after end_early/stop)."""
        if self._thread is not None:
            self._thread.join(timeout)
