"""What every window is given: data paths, settings, the store worker, operations and engines."""

from __future__ import annotations

import getpass
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from desktop_app.core.settings_model import Settings
from desktop_app.paths import APP_NAME, DataPaths
from desktop_app.ui.engine_host import EngineHost
from desktop_app.ui.ops import Ops
from desktop_app.ui.tasks import BackgroundTasks, MainThreadInvoker, StoreWorker

log = logging.getLogger(__name__)

LOCATION_FILE = "data_folder.txt"
ASSESSOR_FILE = "assessor.txt"


def default_config_dir() -> Path:
    """Where the GUI remembers which data folder to open (outside any data folder)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def remembered_data_dir(config_dir: Path) -> Path | None:
    """The data folder chosen in Settings, if any."""
    try:
        text = (config_dir / LOCATION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None


def remember_data_dir(config_dir: Path, folder: Path | None) -> None:
    """Records the data folder the next launch opens (None returns to the default)."""
    config_dir.mkdir(parents=True, exist_ok=True)
    target = config_dir / LOCATION_FILE
    if folder is None:
        target.unlink(missing_ok=True)
    else:
        target.write_text(str(folder) + "\n", encoding="utf-8")


def remembered_assessor(config_dir: Path) -> str:
    """The name the last sign-off on this computer was given ('' when none): the sign-off dialog's default."""
    try:
        return " ".join((config_dir / ASSESSOR_FILE).read_text(encoding="utf-8").split())[:120]
    except OSError:
        return ""


def remember_assessor(config_dir: Path, name: str) -> None:
    """Keeps the signing assessor's name for the next sign-off (beside the data-folder choice, not in any data)."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / ASSESSOR_FILE).write_text(name.strip() + "\n", encoding="utf-8")


def load_settings_safely(paths: DataPaths) -> tuple[Settings, str | None]:
    """Settings, or defaults plus the reason when the file is unreadable."""
    from desktop_app.engines.settings import load_settings

    try:
        return load_settings(paths), None
    except Exception as exc:  # a damaged settings file must not stop the app from opening
        return Settings(), str(exc)


@dataclass
class AppContext:
    """Built once by app.py and passed to every window; there are no global singletons."""

    paths: DataPaths
    config_dir: Path
    settings: Settings
    invoker: MainThreadInvoker
    worker: StoreWorker
    ops: Ops
    tasks: BackgroundTasks
    engines: EngineHost
    operator: str = field(default_factory=lambda: os.environ.get("VIVA_OPERATOR") or _user())
    settings_error: str | None = None

    @classmethod
    def build(cls, paths: DataPaths, config_dir: Path | None = None, *, start_worker: bool = True) -> AppContext:
        """paths -> store worker -> engines: the composition used by the app and the tests.

        With start_worker=False the caller starts ctx.worker later (the app does so once its window is
        on screen, so opening the database never competes with drawing it); queued reads wait for it.
        """
        invoker = MainThreadInvoker()
        worker = StoreWorker(paths, invoker)
        if start_worker:
            worker.start()
        tasks = BackgroundTasks(invoker)
        settings, error = load_settings_safely(paths)
        engines = EngineHost(paths, settings, tasks)
        config_dir = Path(config_dir) if config_dir else default_config_dir()
        # Audit entries (overrides, exports) carry the last signing assessor's name once there is one.
        operator = os.environ.get("VIVA_OPERATOR") or remembered_assessor(config_dir) or _user()
        return cls(paths=paths, config_dir=config_dir, settings=settings, invoker=invoker, worker=worker,
                   ops=Ops(worker), tasks=tasks, engines=engines, operator=operator, settings_error=error)

    def assessor_default(self) -> str:
        """The name the sign-off dialog offers: the last one given here, else VIVA_OPERATOR; never the OS account."""
        return remembered_assessor(self.config_dir) or os.environ.get("VIVA_OPERATOR", "").strip()

    def remember_assessor(self, name: str) -> None:
        """Remembers a sign-off's name for next time; later audit entries from this window carry it too."""
        try:
            remember_assessor(self.config_dir, name)
        except OSError as exc:  # not being able to remember a default must not undo a sign-off
            log.warning("cannot remember the assessor's name: %s", exc)
        self.operator = name

    def save_settings(self, settings: Settings) -> None:
        """Writes the settings file and hands the new values to the engines."""
        from desktop_app.engines.settings import save_settings

        save_settings(self.paths, settings)
        engines_changed = settings.engines_differ(self.settings)
        self.settings = settings
        if engines_changed:
            self.engines.reset(settings)
        else:
            self.engines.settings = settings

    def shutdown(self) -> None:
        """Stops the store worker (closing the database) and waits briefly for background tasks."""
        self.worker.stop()
        self.tasks.wait(timeout=2.0)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "operator"
