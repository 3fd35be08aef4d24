"""Composition root of the desktop app: paths -> store worker -> engines -> UI. No global singletons."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from desktop_app.paths import DataPaths

_T0 = time.perf_counter()


def resolve_paths(data_dir: str | os.PathLike | None, config_dir: Path | None = None) -> DataPaths:
    """--data-dir, else VIVA_DATA_DIR, else the folder chosen in Settings, else the platform default."""
    if data_dir is None and not os.environ.get("VIVA_DATA_DIR"):
        from desktop_app.ui.context import default_config_dir, remembered_data_dir

        remembered = remembered_data_dir(config_dir or default_config_dir())
        if remembered is not None:
            return DataPaths.resolve(remembered)
    return DataPaths.resolve(data_dir)


def build_window(paths: DataPaths, config_dir: Path | None = None, *, start_worker: bool = True):
    """Builds the context and the main window (a QApplication must exist). Returns (ctx, window)."""
    from desktop_app.ui.context import AppContext
    from desktop_app.ui.main_window import MainWindow

    ctx = AppContext.build(paths, config_dir, start_worker=start_worker)
    window = MainWindow(ctx)
    return ctx, window


def _repair_recordings(paths: DataPaths) -> None:
    """Repairs recordings of sessions a crash left in progress; logs, never raises."""
    import logging

    try:
        from desktop_app.interview.runner import repair_interrupted_sessions

        fixed = repair_interrupted_sessions(paths)
        if fixed:
            logging.getLogger("viva").info("repaired recordings of %d interrupted session(s)", len(fixed))
    except Exception:  # a damaged data folder must not stop the window from working
        logging.getLogger("viva").exception("could not repair interrupted recordings")


def _upkeep(paths: DataPaths) -> None:
    """Off the GUI thread after start-up: mends recordings, then takes the daily automatic backup if due."""
    from desktop_app.store.backups import backup_if_due

    _repair_recordings(paths)
    backup_if_due(paths)  # logs a failure, never raises


def run_gui(data_dir: str | os.PathLike | None = None, *, quit_when_shown: bool = False,
            config_dir: Path | None = None) -> int:
    """Opens the main window and runs until it closes; returns the exit code."""
    from PySide6.QtCore import QTimer

    from desktop_app.ui.theme import apply_theme
    from desktop_app.ui.widgets import gui_application, show_error

    app = gui_application(sys.argv[:1])
    app.setApplicationName("Viva")
    app.setApplicationDisplayName("Viva")
    apply_theme(app)
    paths = resolve_paths(data_dir, config_dir)
    ctx, window = build_window(paths, config_dir, start_worker=False)

    def first_shown() -> None:
        ctx.worker.start()
        if quit_when_shown:
            # Read by benchmarks/gui_startup.py: seconds from interpreter start to the window on screen.
            print(f"VIVA_WINDOW_SHOWN {time.perf_counter() - _T0:.3f}", flush=True)
            QTimer.singleShot(0, window.close)
            return
        # A crash mid-interview leaves WAV headers unfinished: mend them off the GUI thread.
        # Then the daily backup, if due (store/backups.py), on the same thread so it holds the mended files.
        threading.Thread(target=_upkeep, args=(paths,), name="viva-upkeep", daemon=True).start()
        # Models load after the window is up, so launching never waits for them.
        ctx.engines.describe()
        QTimer.singleShot(300, ctx.engines.preload)
        if ctx.settings_error:
            show_error(window, "Settings could not be read", ctx.settings_error + " — using the defaults.")
        if ctx.worker.open_error is not None:
            show_error(window, "The database could not be opened", str(ctx.worker.open_error))

    def on_shown() -> None:
        window.shown.disconnect(on_shown)
        QTimer.singleShot(0, first_shown)

    window.shown.connect(on_shown)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.shutdown()
