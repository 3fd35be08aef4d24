"""Engines and devices for a run, through engines/registry.py and engines/audio.py when present.

A minimal stand-in is kept here only for what those modules do not (yet) provide, so the
runner can be used headless; see the interface notes in the interview report.
"""

from __future__ import annotations

import functools
from typing import Any

from desktop_app.paths import DataPaths


class LazyEngines:
    """The embedded (or chosen) models, each loaded on first use."""

    def __init__(self, paths: DataPaths, settings: dict[str, Any]) -> None:
        self.paths = paths
        self.settings = settings

    @functools.cached_property
    def llm(self):
        """The language model."""
        from desktop_app.engines.llm import LlamaModel
        from desktop_app.engines.models import ModelKind, active_model, ensure_embedded_llm

        info = active_model(self.paths, self.settings, ModelKind.LLM)
        path = ensure_embedded_llm(self.paths) if info.embedded else info.path
        return LlamaModel(path, sha256=info.sha256 or "", n_ctx=int(self.settings.get("llm_context") or 2048),
                          n_threads=int(self.settings.get("llm_threads") or 2))

    @functools.cached_property
    def recognizer(self):
        """The speech recognizer (faster-whisper)."""
        from desktop_app.engines.asr_whisper import WhisperRecognizer
        from desktop_app.engines.models import ModelKind, active_model

        info = active_model(self.paths, self.settings, ModelKind.ASR)
        return WhisperRecognizer(info.path, vad=self.settings.get("vad"))

    @functools.cached_property
    def synthesizer(self):
        """The voice (piper)."""
        from desktop_app.engines.models import ModelKind, active_model
        from desktop_app.engines.tts import PiperSynthesizer

        info = active_model(self.paths, self.settings, ModelKind.TTS)
        return PiperSynthesizer(info.path, cache_dir=self.paths.cache / "tts")


def build_engines(paths: DataPaths, settings: dict[str, Any]) -> LazyEngines:
    """Lazily loaded engines for a data folder."""
    return LazyEngines(paths, settings)


def open_input(name: str | None):
    """A microphone by (part of its) name."""
    from desktop_app.engines import audio

    return audio.open_input(name)


def open_output(name: str | None):
    """A speaker by (part of its) name."""
    from desktop_app.engines import audio

    return audio.open_output(name)
