"""Holds the engines for the GUI: builds them lazily, loads models in the background, reports status."""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.core.settings_model import Settings
from desktop_app.paths import DataPaths
from desktop_app.ui.tasks import BackgroundTasks

log = logging.getLogger(__name__)

ENGINES = (("llm", "Language model"), ("recognizer", "Speech recognition"), ("synthesizer", "Voice"))
# Model kinds of engines.models for each engine slot.
KIND_OF = {"llm": "llm", "recognizer": "asr", "synthesizer": "tts"}


class EngineHost(QObject):
    """The engines registry behind signals: `status` maps engine -> {name, state, detail}."""

    status_changed = Signal(dict)

    def __init__(self, paths: DataPaths, settings: Settings, tasks: BackgroundTasks) -> None:
        super().__init__()
        self.paths = paths
        self.settings = settings
        self.tasks = tasks
        self._engines: Any = None
        self._lock = threading.Lock()
        self.status: dict[str, dict[str, str]] = {key: {"name": "…", "state": "idle", "detail": ""} for key, _ in ENGINES}
        self.status["audio"] = {"name": settings.input_device or "system default", "state": "idle", "detail": ""}

    # ------------------------------------------------------------ engines

    def engines(self) -> Any:
        """The engines registry (built on first use; thread-safe). Call off the GUI thread: it may import models."""
        with self._lock:
            if self._engines is None:
                from desktop_app.engines.registry import build_engines

                self._engines = build_engines(self.paths, self.settings)
            return self._engines

    def provide(self, engines: Any) -> None:
        """Uses engines built elsewhere (already loaded models, e.g. shared by a test session)."""
        with self._lock:
            self._engines = engines

    def reset(self, settings: Settings) -> None:
        """Forgets loaded engines after the settings changed; the next use loads the new choices."""
        with self._lock:
            old, self._engines = self._engines, None
        self.settings = settings
        close = getattr(old, "close", None)
        if callable(close):
            self.tasks.run(close, name="viva-engines-close")
        for key, _ in ENGINES:
            self._set(key, state="idle", detail="")
        self._set("audio", name=settings.input_device or "system default")
        self.describe()

    # ------------------------------------------------------------ background work

    def describe(self) -> None:
        """Finds the active model names in the background (cheap: no model is loaded)."""
        self.tasks.run(self._names, self._apply_names, lambda exc: log.warning("model discovery failed: %s", exc),
                       name="viva-model-names")

    def _names(self) -> dict[str, tuple[str, str]]:
        from desktop_app.engines.models import ModelKind, active_model

        out = {}
        for key, _ in ENGINES:
            try:
                out[key] = (active_model(self.paths, self.settings, ModelKind(KIND_OF[key])).name, "")
            except Exception as exc:  # a missing model is reported in the status bar, not raised
                out[key] = ("missing", str(exc))
        return out

    def _apply_names(self, names: dict[str, tuple[str, str]]) -> None:
        for key, (name, error) in names.items():
            if error:
                self._set(key, name=name, state="error", detail=error)
            else:
                self._set(key, name=name)

    def preload(self) -> None:
        """Loads every model in the background so the first interview starts without waiting."""
        for key, _ in ENGINES:
            if self.status[key]["state"] in ("idle", "error"):
                self._set(key, state="loading", detail="")
        self.tasks.run(self._load_all, name="viva-preload",
                       progress=lambda update: self._set(update[0], **update[1]))

    def _load_all(self, report) -> None:
        try:
            engines = self.engines()
        except Exception as exc:
            for key, _ in ENGINES:
                report((key, {"state": "error", "detail": f"engines unavailable: {exc}"}))
            return
        for key, _ in ENGINES:
            try:
                engine = getattr(engines, key)  # loads on first access (the registry is lazy and thread-safe)
                report((key, {"state": "ready", "detail": str(getattr(engine, "model_path", ""))}))
            except Exception as exc:  # each engine fails alone; text mode still works without audio
                log.warning("loading %s failed: %s", key, exc)
                report((key, {"state": "error", "detail": str(exc)}))

    def _set(self, key: str, **values: str) -> None:
        self.status[key] = {**self.status.get(key, {}), **values}
        self.status_changed.emit(dict(self.status))
