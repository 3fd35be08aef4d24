"""Threads the GUI hands work to: one serial store worker and a pool for engine work."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktop_app.paths import DataPaths

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]


class MainThreadInvoker(QObject):
    """Runs closures on the GUI thread; safe to call from any thread (queued signal)."""

    _call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:  # a failing callback must not take the event loop down
            log.exception("callback on the GUI thread failed")

    def post(self, fn: Callable[[], None]) -> None:
        """Schedules fn() on the GUI thread."""
        self._call.emit(fn)


class _Stop:
    """Sentinel that ends a worker loop."""


class StoreWorker:
    """The one thread that owns the database connection; runs fn(store) closures in order."""

    def __init__(self, paths: DataPaths, invoker: MainThreadInvoker) -> None:
        self.paths = paths
        self._invoker = invoker
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="viva-store", daemon=True)
        self._ready = threading.Event()
        self.open_error: BaseException | None = None

    def start(self) -> None:
        """Starts the thread (once); the store opens (and migrates) on it."""
        if not self._thread.is_alive() and self._thread.ident is None:
            self._thread.start()

    def _loop(self) -> None:
        from desktop_app.store.db import Store

        store = None
        try:
            self.paths.ensure()
            store = Store.open(self.paths)
        except BaseException as exc:  # reported to every caller below
            self.open_error = exc
            log.exception("the database could not be opened")
        self._ready.set()
        try:
            while True:
                item = self._queue.get()
                if isinstance(item, _Stop):
                    return
                fn, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                if store is None:
                    future.set_exception(self.open_error or RuntimeError("database not open"))
                    continue
                try:
                    future.set_result(fn(store))
                except BaseException as exc:
                    future.set_exception(exc)
        finally:
            if store is not None:
                store.close()

    def submit(self, fn: Callable[[Any], Any]) -> Future:
        """Queues fn(store); the Future completes on the worker thread."""
        future: Future = Future()
        self._queue.put((fn, future))
        return future

    def run(self, fn: Callable[[Any], Any], on_done: Callback | None = None,
            on_error: Callback | None = None) -> Future:
        """Queues fn(store); on_done(result) or on_error(exception) run on the GUI thread."""
        future = self.submit(fn)
        future.add_done_callback(lambda f: _deliver(self._invoker, f, on_done, on_error))
        return future

    def call(self, fn: Callable[[Any], Any], timeout: float = 30.0) -> Any:
        """Runs fn(store) and waits for it: for start-up, shutdown and tests, never in a slot."""
        return self.submit(fn).result(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """Finishes queued work, closes the store and joins the thread."""
        self.start()  # work queued before a start still runs, then the store closes
        if self._thread.is_alive():
            self._queue.put(_Stop())
            self._thread.join(timeout)


def _deliver(invoker: MainThreadInvoker, future: Future, on_done: Callback | None, on_error: Callback | None) -> None:
    """Hands a finished future's outcome to the GUI thread."""
    if future.cancelled():
        return
    exc = future.exception()
    if exc is not None:
        if on_error is not None:
            invoker.post(lambda: on_error(exc))
        else:
            log.error("background operation failed: %s", exc, exc_info=exc)
        return
    result = future.result()
    if on_done is not None:
        invoker.post(lambda: on_done(result))


class BackgroundTasks:
    """Threads for engine work (model loading, generation, PDF rendering) that needs no database."""

    def __init__(self, invoker: MainThreadInvoker) -> None:
        self._invoker = invoker
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def run(self, fn: Callable[..., Any], on_done: Callback | None = None, on_error: Callback | None = None,
            *, name: str = "viva-task", progress: Callable[[Any], None] | None = None) -> Future:
        """Runs fn() (or fn(report) when `progress` is given) on a new thread; callbacks on the GUI thread."""
        future: Future = Future()

        def report(value: Any) -> None:
            if progress is not None:
                self._invoker.post(lambda: progress(value))

        def target() -> None:
            future.set_running_or_notify_cancel()
            try:
                future.set_result(fn(report) if progress is not None else fn())
            except BaseException as exc:
                future.set_exception(exc)

        future.add_done_callback(lambda f: _deliver(self._invoker, f, on_done, on_error))
        thread = threading.Thread(target=target, name=name, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return future

    def wait(self, timeout: float = 10.0) -> None:
        """Waits for running tasks (at shutdown)."""
        with self._lock:
            threads = list(self._threads)
        for t in threads:
            t.join(timeout)
