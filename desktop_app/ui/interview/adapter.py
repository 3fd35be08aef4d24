"""The GUI's only contact with the runner and audio engines: small functions run off the GUI thread."""

from __future__ import annotations

import threading
from typing import Any, Callable

from desktop_app.engines.base import EngineError

SPEAKER_TEST = "Hello. This is how the interviewer will sound. If you can hear me clearly, we are ready."


def create_runner(ctx: Any, session_id: str, *, text_mode: bool, on_event: Callable[[Any], None]) -> Any:
    """The interview runner for a session; its run() blocks on the caller's thread."""
    from desktop_app.interview.runner import InterviewRunner

    engines = ctx.engines.engines()
    return InterviewRunner.for_session(ctx.paths, session_id, engines=engines, text_mode=text_mode,
                                       on_event=on_event, settings=ctx.settings)


class MicMonitor:
    """Opens the microphone and keeps its queue drained so the level meter can read `level_dbfs`."""

    def __init__(self, mic: Any) -> None:
        self.mic = mic
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drain, name="viva-mic-meter", daemon=True)

    @classmethod
    def open(cls, engines: Any) -> "MicMonitor":
        """Starts the configured microphone (raises EngineError/AudioUnavailable when there is none)."""
        audio = getattr(engines, "audio", None)
        if audio is None:
            raise EngineError("no audio engine")
        mic = audio.open_input() if hasattr(audio, "open_input") else audio.input()
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


def speaker_test(engines: Any, text: str = SPEAKER_TEST) -> str:
    """Speaks a test sentence with the configured voice; returns the speaker's name."""
    audio = getattr(engines, "audio", None)
    if audio is None:
        raise EngineError("no audio engine")
    out = audio.open_output() if hasattr(audio, "open_output") else audio.output()
    out.play(engines.synthesizer.synthesize(text))
    return str(getattr(out, "device_name", "speaker"))


def play_file(engines: Any, path: str, cancel: threading.Event | None = None) -> None:
    """Plays a WAV file (a recorded turn) on the configured speaker; blocks until done or cancelled."""
    from desktop_app.engines.pcm import wav_chunks

    audio = getattr(engines, "audio", None)
    if audio is None:
        raise EngineError("no audio engine")
    out = audio.open_output() if hasattr(audio, "open_output") else audio.output()
    out.play(wav_chunks(path, 0.1), cancel=cancel)
