"""Engine settings (active models, devices, turn timing) in the data folder's settings.json."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from desktop_app.engines.base import EngineError
from desktop_app.paths import DataPaths

# Every engine setting, its default and meaning. A value of None means "the embedded default".
DEFAULTS: dict[str, Any] = {
    "llm_model": None,  # path to a .gguf file
    "asr_model": None,  # path to a faster-whisper (CTranslate2) or vosk model folder
    "asr_language": None,  # for multilingual Whisper models; None = detect
    "tts_voice": None,  # path to a piper .onnx voice (its .onnx.json beside it)
    "input_device": None,  # substring of the microphone's name; None = system default
    "output_device": None,  # substring of the speaker's name; None = system default
    "end_of_turn_silence_s": 1.2,
    "vad": None,  # "silero" or "webrtc"; None = the measured default
    "llm_threads": 2,
    "llm_context": 2048,
}


def settings_path(paths: DataPaths):
    """The settings file."""
    return paths.root / "settings.json"


def load_settings(paths: DataPaths) -> dict:
    """Settings merged over DEFAULTS; a missing file means all defaults."""
    path = settings_path(paths)
    merged = dict(DEFAULTS)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return merged
    try:
        stored = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EngineError(f"{path}: not valid JSON (line {exc.lineno}); fix or delete it") from exc
    if not isinstance(stored, dict):
        raise EngineError(f"{path}: must hold a JSON object")
    merged.update(stored)
    return merged


def save_settings(paths: DataPaths, settings: dict) -> None:
    """Writes settings atomically (a crash leaves the old file or the new one, never half)."""
    path = settings_path(paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Keep keys other components stored, but do not write defaults that were never changed.
    data = {k: v for k, v in settings.items() if k not in DEFAULTS or v != DEFAULTS[k]}
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
