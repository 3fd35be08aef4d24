"""The GUI's only contact with the runner and audio engines: small functions run off the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.engines.base import EngineError

SPEAKER_TEST = "Hello. This is how the interviewer will sound. If you can hear me clearly, we are ready."


def create_runner(ctx: Any, session_id: str, on_event: Callable[[Any], None], *, text_mode: bool,
                  speak: bool) -> Any:
    """The interview runner for a session, with the devices the settings name; run() blocks its thread."""
    from desktop_app.core.turn_taking import TurnConfig
    from desktop_app.interview.options import RunnerOptions
    from desktop_app.interview.runner import InterviewRunner

    settings = ctx.settings
    options = RunnerOptions(
        text_input=text_mode, speak=speak, operator=ctx.operator, vad=settings.vad,
        turn=TurnConfig(end_of_turn_silence_s=settings.end_of_turn_silence_s,
                        no_speech_timeout_s=30.0),
    )
    engines = ctx.engines.engines()
    audio_in = None if text_mode else open_input(settings.input_device)
    audio_out = None
    if speak:
        try:
            audio_out = open_output(settings.output_device)
        except EngineError:
            audio_out = None  # captions still carry every word
    return InterviewRunner(ctx.paths, session_id, on_event=on_event, options=options, engines=engines,
                           audio_in=audio_in, audio_out=audio_out)


def open_input(name: str | None) -> Any:
    """The microphone chosen by name (None: the system default)."""
    from desktop_app.engines.audio import open_input as open_device

    return open_device(name)


def open_output(name: str | None) -> Any:
    """The speaker chosen by name (None: the system default)."""
    from desktop_app.engines.audio import open_output as open_device

    return open_device(name)


def find_microphone(name: str | None) -> str:
    """The name of the microphone an interview would use; AudioUnavailable when there is none."""
    from desktop_app.engines.audio import find_device

    return find_device(name, "input").name


class MicMonitor:
    """Opens the microphone and keeps its queue drained so the level meter can read `level_dbfs`."""

    def __init__(self, mic: Any) -> None:
        self.mic = mic
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drain, name="viva-mic-meter", daemon=True)

    @classmethod
    def open(cls, device: str | None) -> MicMonitor:
        """Starts the microphone (raises EngineError/AudioUnavailable when there is none)."""
        mic = open_input(device)
        mic.start()
        monitor = cls(mic)
        monitor._thread.start()
        return monitor

    def _drain(self) -> None:
        while not self._stop.is_set():
            try:
                self.mic.read(timeout=0.1)
            except Exception:
                return

    @property
    def level_dbfs(self) -> float:
        """The latest input level in dBFS (-inf when silent)."""
        try:
            return float(self.mic.level_dbfs)
        except Exception:
            return float("-inf")

    @property
    def device_name(self) -> str:
        """The microphone's name."""
        return str(getattr(self.mic, "device_name", "microphone"))

    def close(self) -> None:
        """Stops the microphone."""
        self._stop.set()
        try:
            self.mic.stop()
        finally:
            self._thread.join(1.0)


def speaker_test(engines: Any, device: str | None, text: str = SPEAKER_TEST) -> str:
    """Speaks a test sentence with the configured voice; returns the speaker's name."""
    out = open_output(device)
    out.play(engines.synthesizer.synthesize(text))
    return str(getattr(out, "device_name", "speaker"))


def play_file(device: str | None, path: str | Path, cancel: threading.Event | None = None) -> None:
    """Plays a WAV file (a recorded turn) on the chosen speaker; blocks until done or cancelled."""
    from desktop_app.engines.pcm import wav_chunks

    open_output(device).play(wav_chunks(path, 0.1), cancel=cancel)
