"""Headless audio: WavFileIn replays WAV files as a microphone; WavFileOut and NullOut are speakers."""

from __future__ import annotations

import threading
import time
import wave
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from desktop_app.engines.base import AudioChunk
from desktop_app.engines.pcm import ASR_RATE, convert, dbfs, read_wav, silence, split, to_float


class WavFileIn:
    """An AudioIn that replays WAV files (or chunks) in real time or as fast as they are read."""

    def __init__(
        self,
        sources: Sequence[str | Path | AudioChunk],
        *,
        rate: int = ASR_RATE,
        block_s: float = 0.03,
        realtime: bool = False,
        trailing_silence_s: float = 0.0,
    ) -> None:
        self.sources = list(sources)
        self.device_name = "wav:" + ",".join(Path(s).name for s in self.sources if not isinstance(s, AudioChunk))
        self.rate = rate
        self.block_s = block_s
        self.realtime = realtime
        self.trailing_silence_s = trailing_silence_s
        self._chunks: Iterator[AudioChunk] | None = None
        self._started_at = 0.0
        self._level = -120.0

    def _all_chunks(self) -> Iterator[AudioChunk]:
        time_s = 0.0
        pieces: list[AudioChunk] = [s if isinstance(s, AudioChunk) else read_wav(s) for s in self.sources]
        if self.trailing_silence_s > 0:
            pieces.append(silence(self.trailing_silence_s, self.rate))
        for piece in pieces:
            for chunk in split(convert(piece, self.rate), self.block_s):
                yield AudioChunk(chunk.audio, rate=self.rate, timestamp_s=time_s)
                time_s += chunk.seconds

    def start(self) -> None:
        """Rewinds to the beginning and starts the clock."""
        self._rewind()

    def _rewind(self) -> Iterator[AudioChunk]:
        self._chunks = chunks = self._all_chunks()
        self._started_at = time.monotonic()
        return chunks

    def read(self, timeout: float | None = None) -> AudioChunk | None:
        """The next chunk (waiting for its time in real-time mode); None at the end."""
        chunks = self._chunks if self._chunks is not None else self._rewind()
        chunk = next(chunks, None)
        if chunk is None:
            return None
        if self.realtime:
            due = self._started_at + chunk.timestamp_s + chunk.seconds
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self._level = dbfs(to_float(chunk))
        return chunk

    def stop(self) -> None:
        """Ends the replay."""
        self._chunks = iter(())

    @property
    def level_dbfs(self) -> float:
        """Level of the last chunk read."""
        return self._level


class WavFileOut:
    """An AudioOut that writes everything played into one WAV file (at the first chunk's rate)."""

    def __init__(self, path: str | Path, *, realtime: bool = False) -> None:
        self.path = Path(path)
        self.device_name = f"wav:{self.path.name}"
        self.realtime = realtime
        self.played_s = 0.0
        self._wav: wave.Wave_write | None = None
        self._rate = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def play(self, chunks: Iterable[AudioChunk], cancel: threading.Event | None = None) -> None:
        """Appends chunks to the file until done or cancelled."""
        self._stop.clear()
        for chunk in chunks:
            if self._stop.is_set() or (cancel is not None and cancel.is_set()):
                break
            with self._lock:
                if self._wav is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._rate = chunk.rate
                    self._wav = wave.open(str(self.path), "wb")
                    self._wav.setnchannels(1)
                    self._wav.setsampwidth(2)
                    self._wav.setframerate(self._rate)
                self._wav.writeframes(convert(chunk, self._rate).audio)
            self.played_s += chunk.seconds
            if self.realtime:
                time.sleep(chunk.seconds)

    def stop(self) -> None:
        """Interrupts play()."""
        self._stop.set()

    def close(self) -> None:
        """Finishes the WAV header."""
        with self._lock:
            if self._wav is not None:
                self._wav.close()
                self._wav = None


class NullOut:
    """An AudioOut that discards audio (optionally taking as long as playing it would)."""

    def __init__(self, *, realtime: bool = False) -> None:
        self.device_name = "null"
        self.realtime = realtime
        self.played_s = 0.0
        self._stop = threading.Event()

    def play(self, chunks: Iterable[AudioChunk], cancel: threading.Event | None = None) -> None:
        """Consumes chunks until done or cancelled."""
        self._stop.clear()
        for chunk in chunks:
            if self._stop.is_set() or (cancel is not None and cancel.is_set()):
                break
            self.played_s += chunk.seconds
            if self.realtime:
                self._stop.wait(chunk.seconds)

    def stop(self) -> None:
        """Interrupts play()."""
        self._stop.set()
