"""GUI fixtures: a real main window over a real data folder, the store worker on its own thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# The offscreen platform cannot resize native windows and says so once per window; that is not a bug of ours.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise)\(\)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every GUI test ignores the offscreen platform's size-hint notice (and fails on any other Qt warning)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def gui(qtbot, data_dir: Path, tmp_path: Path):
    """(ctx, main window) on an empty data folder; the window is shown and closed afterwards."""
    from desktop_app.app import build_window
    from desktop_app.paths import DataPaths
    from desktop_app.ui.theme import apply_theme

    apply_theme(qtbot_app())
    ctx, window = build_window(DataPaths(data_dir), tmp_path / "config")
    # Not qtbot.addWidget: pytest-qt would close it before this fixture's teardown, while a room is still up.
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, ctx)
    yield ctx, window
    for w in list(window.children_windows):
        if hasattr(w, "shutdown"):
            w.shutdown()
        w.close()
    window.close()
    wait_idle(qtbot, ctx)
    ctx.shutdown()


@pytest.fixture
def demo_gui(qtbot, gui):
    """The GUI with the hiring example loaded through the Templates page."""
    ctx, window = gui
    window.show_page("template").load_example("hiring")
    wait_idle(qtbot, ctx)
    return ctx, window


def qtbot_app():
    """The running QApplication."""
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


def wait_idle(qtbot, ctx: Any, timeout: int = 10000) -> None:
    """Waits until every queued store operation has finished and its callbacks ran."""
    qtbot.waitUntil(lambda: ctx.ops.pending == 0, timeout=timeout)
    qtbot.wait(20)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0, timeout=timeout)


def run(ctx: Any, fn: Callable[[Any], Any]) -> Any:
    """Runs fn(store) on the store worker and returns its result (for assertions)."""
    return ctx.worker.call(fn)


def rows_of(page: Any) -> list[dict[str, Any]]:
    """The rows a list page shows, in display order."""
    from desktop_app.ui.table_model import ROW_ROLE

    proxy = page.table.proxy
    return [proxy.index(r, 0).data(ROW_ROLE) for r in range(proxy.rowCount())]


def gone(widget: Any) -> bool:
    """True once a widget is hidden or deleted (dialogs delete themselves after closing)."""
    import shiboken6

    return not shiboken6.isValid(widget) or not widget.isVisible()


def dialog_of(owner: Any) -> Any:
    """The dialog `owner` opened last, while it still exists (None before or after)."""
    import shiboken6

    dialog = getattr(owner, "last_dialog", None)
    return dialog if dialog is not None and shiboken6.isValid(dialog) else None


@pytest.fixture
def engines(data_dir: Path, llm, whisper, piper_voice):
    """The registry with the test session's loaded models injected (tests/fixtures_engines.py loads each once)."""
    from desktop_app.core.settings_model import Settings
    from desktop_app.engines.registry import build_engines
    from desktop_app.paths import DataPaths

    return build_engines(DataPaths(data_dir), Settings(), llm=llm, recognizer=whisper, synthesizer=piper_voice)
