"""A mic fed from answer WAV files, one file each time the runner listens (headless runs, tests, benchmarks).

engines.audio_files.WavFileIn replays its files back to back from start(); an interview needs
each answer to begin only after its question was asked, hence `on_listen()` here.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from desktop_app.engines.base import AudioChunk
from desktop_app.engines.pcm import ASR_RATE, convert, read_wav, split

NOISE_DBFS = -70.0  # room tone between answers: a live mic is never digitally silent


class AnswerFilesIn:
    """An AudioIn that speaks one WAV per answer: each `on_listen()` starts the next file after `lead_s`.

    Between files it yields quiet noise, so the end-of-turn silence is heard exactly as from a mic.
    With `speed` 1.0 chunks come in real time; larger values feed faster, 0 as fast as possible.
    """

    def __init__(self, files: Sequence[Path], *, lead_s: float = 0.6, chunk_s: float = 0.02, speed: float = 1.0,
                 rate: int = ASR_RATE, seed: int = 0) -> None:
        self.files = [Path(f) for f in files]
        self.device_name = "answers:" + (str(self.files[0].parent) if self.files else "-")
        self.lead_s, self.chunk_s, self.speed, self.rate = lead_s, chunk_s, speed, rate
        self._rng = np.random.default_rng(seed)
        self._pending: queue.Queue[int] = queue.Queue()
        self._next_file = 0
        self._current: list[AudioChunk] = []
        self._lead_left = 0.0
        self._clock_start: float | None = None
        self._stream_s = 0.0
        self._lock = threading.Lock()
        self.started_at: dict[int, float] = {}  # file index -> monotonic time its first sample was delivered
        self.ended_at: dict[int, float] = {}  # file index -> monotonic time its last sample was delivered
        self._level = -120.0

    @property
    def exhausted(self) -> bool:
        """True once every file was asked for and played."""
        with self._lock:
            return self._next_file >= len(self.files) and not self._current and self._pending.empty()

    @property
    def level_dbfs(self) -> float:
        """Level of the last chunk."""
        return self._level

    def start(self) -> None:
        """Starts the stream clock."""
        self._start_clock()

    def _start_clock(self) -> float:
        self._clock_start = started = time.monotonic()
        self._stream_s = 0.0
        return started

    def stop(self) -> None:
        """Nothing to release."""

    def on_listen(self) -> None:
        """The runner listens: queue the next answer file (if any is left)."""
        with self._lock:
            if self._next_file < len(self.files):
                self._lead_left = self.lead_s  # the candidate takes a moment before answering
                self._pending.put(self._next_file)
                self._next_file += 1

    def read(self, timeout: float | None = None) -> AudioChunk | None:
        """The next chunk, paced to the stream clock."""
        clock_start = self._clock_start if self._clock_start is not None else self._start_clock()
        if self.speed > 0:
            due = clock_start + self._stream_s / self.speed
            wait = due - time.monotonic()
            if wait > 0:
                if timeout is not None and wait > timeout:
                    time.sleep(timeout)
                    return None
                time.sleep(wait)
        chunk = self._next_chunk()
        self._stream_s += chunk.seconds
        samples = np.frombuffer(chunk.audio, dtype="<i2")
        rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if samples.size else 0.0
        self._level = 20 * np.log10(rms / 32768.0) if rms > 0 else -120.0
        return AudioChunk(chunk.audio, rate=self.rate, timestamp_s=self._stream_s - chunk.seconds)

    def _next_chunk(self) -> AudioChunk:
        with self._lock:
            if not self._current and not self._pending.empty():
                if self._lead_left > 0:
                    self._lead_left -= self.chunk_s
                    return self._noise()
                index = self._pending.get()
                audio = convert(read_wav(self.files[index]), self.rate)
                self._current = [c for c in split(audio, self.chunk_s)]
                self._current_index = index
                self.started_at[index] = time.monotonic()
            if self._current:
                chunk = self._current.pop(0)
                if not self._current:
                    self.ended_at[self._current_index] = time.monotonic()
                return chunk
        return self._noise()

    def _noise(self) -> AudioChunk:
        n = int(round(self.chunk_s * self.rate))
        amplitude = 32768.0 * 10 ** (NOISE_DBFS / 20)
        samples = (self._rng.standard_normal(n) * amplitude).astype("<i2")
        return AudioChunk(samples.tobytes(), rate=self.rate)


def answer_files(folder: Path) -> list[Path]:
    """The WAV files of a folder in name order; they are the candidate's answers."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() == ".wav" and p.is_file())
