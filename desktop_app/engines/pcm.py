"""PCM helpers: WAV files as AudioChunks, and format conversion/resampling only at the edges."""

from __future__ import annotations

import wave
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from desktop_app.engines.base import AudioChunk, EngineError

ASR_RATE = 16000  # what the VADs and recognisers consume


def to_float(chunk: AudioChunk) -> np.ndarray:
    """Mono float32 samples in [-1, 1]."""
    if chunk.width != 2:
        raise EngineError(f"unsupported sample width {chunk.width} bytes (only 16-bit PCM)")
    samples = np.frombuffer(chunk.audio, dtype="<i2").astype(np.float32) / 32768.0
    if chunk.channels > 1:
        samples = samples.reshape(-1, chunk.channels).mean(axis=1)
    return samples


def from_float(samples: np.ndarray, rate: int, timestamp_s: float = 0.0) -> AudioChunk:
    """A mono 16-bit chunk from float samples (clipped to [-1, 1])."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    return AudioChunk(pcm.tobytes(), rate=rate, width=2, channels=1, timestamp_s=timestamp_s)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resamples float32 mono audio with soxr (high quality)."""
    if from_rate == to_rate or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    import soxr

    return soxr.resample(samples, from_rate, to_rate).astype(np.float32, copy=False)


def convert(chunk: AudioChunk, rate: int = ASR_RATE) -> AudioChunk:
    """The chunk as mono 16-bit at `rate` (unchanged if already so)."""
    if chunk.rate == rate and chunk.channels == 1 and chunk.width == 2:
        return chunk
    return from_float(resample(to_float(chunk), chunk.rate, rate), rate, chunk.timestamp_s)


class StreamResampler:
    """Converts a stream of chunks to mono 16-bit at one rate, keeping filter state between chunks."""

    def __init__(self, to_rate: int = ASR_RATE) -> None:
        self.to_rate = to_rate
        self._from_rate: int | None = None
        self._stream: Any = None  # a soxr.ResampleStream (untyped) once the first chunk's rate is known

    def __call__(self, chunk: AudioChunk) -> AudioChunk:
        """The converted chunk (may be a few samples shorter or longer while the filter fills)."""
        if chunk.rate == self.to_rate:
            return convert(chunk, self.to_rate)
        if self._from_rate != chunk.rate:
            import soxr

            self._from_rate = chunk.rate
            self._stream = soxr.ResampleStream(chunk.rate, self.to_rate, 1, dtype="float32")
        out = self._stream.resample_chunk(to_float(chunk))
        return from_float(out, self.to_rate, chunk.timestamp_s)


def concat(chunks: Iterable[AudioChunk], rate: int | None = None) -> AudioChunk:
    """One chunk holding all of `chunks`, converted to the first chunk's rate (or `rate`)."""
    chunks = list(chunks)
    if not chunks:
        return AudioChunk(b"", rate=rate or ASR_RATE)
    target = rate or chunks[0].rate
    audio = b"".join(convert(c, target).audio for c in chunks)
    return AudioChunk(audio, rate=target, timestamp_s=chunks[0].timestamp_s)


def split(chunk: AudioChunk, seconds: float) -> Iterator[AudioChunk]:
    """Cuts a chunk into pieces of `seconds` (the last may be shorter)."""
    frame_bytes = chunk.width * chunk.channels
    step = max(1, int(round(seconds * chunk.rate))) * frame_bytes
    for offset in range(0, len(chunk.audio), step):
        yield AudioChunk(
            chunk.audio[offset : offset + step],
            rate=chunk.rate,
            width=chunk.width,
            channels=chunk.channels,
            timestamp_s=chunk.timestamp_s + offset / (chunk.rate * frame_bytes),
        )


def silence(seconds: float, rate: int = ASR_RATE, timestamp_s: float = 0.0) -> AudioChunk:
    """Digital silence."""
    return AudioChunk(b"\x00\x00" * int(round(seconds * rate)), rate=rate, timestamp_s=timestamp_s)


def read_wav(path: str | Path) -> AudioChunk:
    """The whole WAV file as one chunk (16-bit PCM only)."""
    try:
        with wave.open(str(path), "rb") as wav:
            width = wav.getsampwidth()
            if width != 2:
                raise EngineError(f"{path}: only 16-bit PCM WAV is supported (got {8 * width}-bit)")
            return AudioChunk(wav.readframes(wav.getnframes()), rate=wav.getframerate(), width=2, channels=wav.getnchannels())
    except (wave.Error, EOFError) as exc:
        raise EngineError(f"{path}: not a readable WAV file ({exc})") from exc
    except FileNotFoundError as exc:
        raise EngineError(f"{path}: no such file") from exc


def wav_chunks(path: str | Path, chunk_s: float = 0.03) -> Iterator[AudioChunk]:
    """Replays a WAV file as a stream of chunks (wyoming's wav_to_chunks)."""
    yield from split(read_wav(path), chunk_s)


def write_wav(path: str | Path, chunks: Iterable[AudioChunk] | AudioChunk) -> float:
    """Writes chunks (converted to the first chunk's rate) to a WAV file; returns its duration."""
    if isinstance(chunks, AudioChunk):
        chunks = [chunks]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    total = 0
    wav: wave.Wave_write | None = None
    rate = ASR_RATE
    try:
        for chunk in chunks:
            if wav is None:
                rate = chunk.rate
                wav = wave.open(str(path), "wb")
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(rate)
            data = convert(chunk, rate).audio
            wav.writeframes(data)
            total += len(data) // 2
        if wav is None:  # no audio at all: still a valid, empty file
            wav = wave.open(str(path), "wb")
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(rate)
    finally:
        if wav is not None:
            wav.close()
    return total / rate


def dbfs(samples: np.ndarray) -> float:
    """RMS level in dBFS (-120 for digital silence)."""
    if samples.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return max(-120.0, 20.0 * np.log10(rms)) if rms > 0 else -120.0


def chunk_seconds(chunks: Sequence[AudioChunk]) -> float:
    """Total duration of chunks."""
    return sum(c.seconds for c in chunks)
