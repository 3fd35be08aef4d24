"""The one place engines are constructed: build_engines(paths, settings) -> Engines, each loaded lazily."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from desktop_app.core.settings_model import Settings
from desktop_app.engines.base import AudioIn, AudioOut, LanguageModel, Recognizer, Synthesizer
from desktop_app.engines.models import (
    SMALL_LLM_NAME,
    ModelInfo,
    ModelKind,
    active_model,
    ensure_embedded_llm,
    model_sha256,
)
from desktop_app.paths import DataPaths


def model_for(paths: DataPaths, settings: Settings, kind: ModelKind) -> ModelInfo:
    """The active model for `kind`, with its file in place (the embedded GGUF is assembled on first use)."""
    info = active_model(paths, settings, kind)
    if kind is ModelKind.LLM and info.embedded and info.name == SMALL_LLM_NAME:
        info = replace(info, path=ensure_embedded_llm(paths))
    return info


def load_llm(paths: DataPaths, settings: Settings) -> LanguageModel:
    """The active language model."""
    from desktop_app.engines.llm import LlamaModel

    info = model_for(paths, settings, ModelKind.LLM)
    return LlamaModel(
        info.path,
        sha256=info.sha256 or model_sha256(info, paths),
        n_ctx=settings.llm_context,
        n_threads=settings.llm_threads,
        state_dir=paths.cache / "llm-prefix",
    )


def load_recognizer(paths: DataPaths, settings: Settings) -> Recognizer:
    """The active speech recogniser: faster-whisper or vosk, by what the model folder holds."""
    info = model_for(paths, settings, ModelKind.ASR)
    sha = model_sha256(info, paths) if info.engine == "whisper" else ""
    if info.engine == "vosk":
        from desktop_app.engines.asr_vosk import VoskRecognizer

        return VoskRecognizer(info.path, language=info.language)
    from desktop_app.engines.asr_whisper import WhisperRecognizer

    return WhisperRecognizer(info.path, vad=settings.vad, language=settings.asr_language, sha256=sha)


def load_synthesizer(paths: DataPaths, settings: Settings) -> Synthesizer:
    """The active piper voice, with its phrase cache in the data folder."""
    from desktop_app.engines.tts import PiperSynthesizer

    info = model_for(paths, settings, ModelKind.TTS)
    return PiperSynthesizer(info.path, cache_dir=paths.cache / "tts", sha256=info.sha256 or "")


def open_audio_in(paths: DataPaths, settings: Settings) -> AudioIn:
    """The microphone named in settings (default device if not found)."""
    from desktop_app.engines.audio import open_input

    return open_input(settings.input_device)


def open_audio_out(paths: DataPaths, settings: Settings) -> AudioOut:
    """The speaker named in settings (default device if not found)."""
    from desktop_app.engines.audio import open_output

    return open_output(settings.output_device)


LOADERS: dict[str, Callable[[DataPaths, Settings], Any]] = {
    "llm": load_llm,
    "recognizer": load_recognizer,
    "synthesizer": load_synthesizer,
    "audio_in": open_audio_in,
    "audio_out": open_audio_out,
}


@dataclass
class Engines:
    """All engines for one data folder; each is built on first access (thread-safe) or injected."""

    paths: DataPaths
    settings: Settings
    loaders: dict[str, Callable[[DataPaths, Settings], Any]] = field(default_factory=lambda: dict(LOADERS))
    _loaded: dict[str, Any] = field(default_factory=dict, repr=False)
    _locks: dict[str, threading.Lock] = field(default_factory=lambda: {k: threading.Lock() for k in LOADERS}, repr=False)

    def get(self, name: str) -> Any:
        """The engine called `name`, loading it if needed (one loader run per engine, even across threads)."""
        if name in self._loaded:
            return self._loaded[name]
        if name not in self.loaders:
            raise KeyError(name)
        with self._locks.setdefault(name, threading.Lock()):
            if name not in self._loaded:
                self._loaded[name] = self.loaders[name](self.paths, self.settings)
        return self._loaded[name]

    def set(self, name: str, engine: Any) -> None:
        """Injects an engine (e.g. a WavFileIn for a headless run)."""
        self._loaded[name] = engine

    def is_loaded(self, name: str) -> bool:
        """True once `name` has been built."""
        return name in self._loaded

    @property
    def llm(self) -> LanguageModel:
        """The language model."""
        return self.get("llm")

    @property
    def recognizer(self) -> Recognizer:
        """The speech recogniser."""
        return self.get("recognizer")

    @property
    def synthesizer(self) -> Synthesizer:
        """The voice."""
        return self.get("synthesizer")

    @property
    def audio_in(self) -> AudioIn:
        """The microphone (raises AudioUnavailable without PortAudio or a device)."""
        return self.get("audio_in")

    @property
    def audio_out(self) -> AudioOut:
        """The speaker (raises AudioUnavailable without PortAudio or a device)."""
        return self.get("audio_out")

    def preload(self, names: tuple[str, ...] = ("llm", "recognizer", "synthesizer")) -> None:
        """Loads the named engines now (call from a background thread so the GUI stays responsive)."""
        for name in names:
            self.get(name)

    def close(self) -> None:
        """Releases what was loaded."""
        loaded, self._loaded = self._loaded, {}
        for engine in loaded.values():
            close = getattr(engine, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:  # closing is best effort; the process may be exiting
                    pass


def build_engines(paths: DataPaths, settings: Settings | None = None, **injected: Any) -> Engines:
    """Engines for a data folder; `injected` (e.g. audio_in=WavFileIn(...)) replaces the loader's choice."""
    from desktop_app.engines.settings import load_settings

    engines = Engines(paths, settings if settings is not None else load_settings(paths))
    for name, engine in injected.items():
        if name not in LOADERS:
            raise TypeError(f"unknown engine {name!r} (choose from {', '.join(LOADERS)})")
        engines.set(name, engine)
    return engines
