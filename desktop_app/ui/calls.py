"""Store-side operations named for the worker: importing them (SQLite, pydantic) happens on the worker thread.

Widgets build `fn(store)` closures with op("list_rows", "profile") instead of importing
desktop_app.ui.operations themselves, which keeps the store and the domain models off the
start-up path: the window is on screen before they load.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

MODULES = {
    "setup": "desktop_app.ui.operations",
    "sessions": "desktop_app.ui.session_ops",
    "review": "desktop_app.ui.review.data",
    "results": "desktop_app.ui.review.adapter",
}


def call(module: str, name: str, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """fn(store) running MODULES[module].name(store, *args, **kwargs)."""
    def run(store: Any) -> Any:
        return getattr(importlib.import_module(MODULES[module]), name)(store, *args, **kwargs)

    run.__qualname__ = f"{module}.{name}"
    return run


def op(name: str, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """A setup operation (desktop_app.ui.operations) as fn(store)."""
    return call("setup", name, *args, **kwargs)


def session_op(name: str, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """A session or pipeline operation (desktop_app.ui.session_ops) as fn(store)."""
    return call("sessions", name, *args, **kwargs)


def later(fn: Callable[[], Any]) -> Callable[[Any], Any]:
    """fn() run on the worker, ignoring the store (for imports such as the domain vocabularies)."""
    return lambda _store: fn()
