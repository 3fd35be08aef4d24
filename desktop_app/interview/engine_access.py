"""Engines and devices for a run: the engines registry and sounddevice adapters, by name."""

from __future__ import annotations

from typing import Any

from desktop_app.core.settings_model import Settings
from desktop_app.paths import DataPaths


def build_engines(paths: DataPaths, settings: Settings | None = None) -> Any:
    """Lazily loaded engines for a data folder (engines.registry)."""
    from desktop_app.engines.registry import build_engines as registry_engines

    return registry_engines(paths, settings)


def open_input(name: str | None):
    """A microphone by (part of its) name."""
    from desktop_app.engines import audio

    return audio.open_input(name)


def open_output(name: str | None, *, realtime: bool = True):
    """A speaker by (part of its) name; "null" discards the audio (taking real time unless `realtime` is off)."""
    if name == "null":
        from desktop_app.engines.audio_files import NullOut

        return NullOut(realtime=realtime)
    from desktop_app.engines import audio

    return audio.open_output(name)
