"""Audio written to disk while it is captured: WAV files kept valid by periodic fsync, repaired after a crash."""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop_app.engines.base import AudioChunk
from desktop_app.engines.pcm import convert
from desktop_app.paths import fsync_dir

HEADER_BYTES = 44
DEFAULT_SYNC_S = 0.25  # at most this much audio is in the OS cache and not yet on disk


def _header(rate: int, data_bytes: int) -> bytes:
    """A canonical 44-byte header for 16-bit mono PCM."""
    return struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + data_bytes, b"WAVE", b"fmt ", 16, 1, 1, rate, rate * 2, 2,
                       16, b"data", data_bytes)


@dataclass(frozen=True)
class Recording:
    """A finished WAV file: where, its sha256 and its length."""

    path: Path
    sha256: str
    seconds: float


class DurableWav:
    """A 16-bit mono WAV appended as audio arrives; header sizes and fsync every `sync_s` of audio."""

    def __init__(self, path: Path, rate: int, sync_s: float = DEFAULT_SYNC_S) -> None:
        self.path = Path(path)
        self.rate = rate
        self.sync_bytes = max(2, int(sync_s * rate) * 2)
        self._data_bytes = 0
        self._unsynced = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "wb")
        self._file.write(_header(rate, 0))
        self._sync()
        fsync_dir(self.path.parent)  # the new file's name must survive a crash too

    @property
    def seconds(self) -> float:
        """Audio written so far."""
        return self._data_bytes / (2 * self.rate)

    def write(self, chunk: AudioChunk | bytes) -> None:
        """Appends audio (converted to this file's rate); syncs when enough is pending."""
        data = chunk if isinstance(chunk, bytes) else convert(chunk, self.rate).audio
        if not data:
            return
        self._file.write(data)
        self._data_bytes += len(data)
        self._unsynced += len(data)
        if self._unsynced >= self.sync_bytes:
            self._sync()

    def _sync(self) -> None:
        f = self._file
        f.flush()
        end = f.tell()
        f.seek(4)
        f.write(struct.pack("<I", 36 + self._data_bytes))
        f.seek(40)
        f.write(struct.pack("<I", self._data_bytes))
        f.seek(end)
        f.flush()
        os.fsync(f.fileno())
        self._unsynced = 0

    def close(self) -> Recording:
        """Final header, fsync, and the file's sha256."""
        if not self._file.closed:
            self._sync()
            self._file.close()
        return Recording(self.path, file_sha256(self.path), self.seconds)

    def abandon(self) -> None:
        """Closes without hashing (the file stays, valid, for recovery)."""
        if not self._file.closed:
            self._sync()
            self._file.close()


def file_sha256(path: Path) -> str:
    """sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def repair_wav(path: Path, default_rate: int = 16000) -> bool:
    """Makes a WAV left unfinished by a crash readable: sizes from the file length, no half sample. True if changed."""
    path = Path(path)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        head = f.read(HEADER_BYTES)
        if len(head) < HEADER_BYTES or head[:4] != b"RIFF" or head[8:12] != b"WAVE" or head[36:40] != b"data":
            if size > HEADER_BYTES and head[:4] == b"RIFF":
                return False  # not our layout (extra chunks): leave it alone rather than guess
            f.seek(0)
            f.truncate(0)
            f.write(_header(default_rate, 0))
            f.flush()
            os.fsync(f.fileno())
            return True
        rate = struct.unpack("<I", head[24:28])[0] or default_rate
        riff, data = struct.unpack("<I", head[4:8])[0], struct.unpack("<I", head[40:44])[0]
        actual = size - HEADER_BYTES
        whole = actual - (actual % 2)
        if riff == 36 + whole and data == whole and whole == actual:
            return False
        if whole != actual:
            f.truncate(HEADER_BYTES + whole)
        f.seek(0)
        f.write(_header(rate, whole))
        f.flush()
        os.fsync(f.fileno())
        return True


def repair_folder(folder: Path) -> list[Path]:
    """Repairs every WAV in a session's audio folder; returns those that needed it."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.glob("*.wav")) if repair_wav(p)]


class LevelMeter:
    """Level statistics of an answer: mean and peak dBFS, dropouts (digital silence) and clipping."""

    DROPOUT_S = 0.1

    def __init__(self) -> None:
        self._sum_sq = 0.0
        self._n = 0
        self._peak = 0
        self._zero_run = 0
        self.dropouts = 0
        self.clipped = 0

    def add(self, chunk: AudioChunk) -> None:
        """Measures one chunk (16-bit)."""
        samples = np.frombuffer(chunk.audio, dtype="<i2")
        if samples.size == 0:
            return
        wide = samples.astype(np.int64)
        self._sum_sq += float(np.sum(wide * wide))
        self._n += samples.size
        self._peak = max(self._peak, int(np.max(np.abs(wide))))
        self.clipped += int(np.count_nonzero(np.abs(wide) >= 32767))
        zero_run_limit = int(self.DROPOUT_S * chunk.rate)
        if not samples.any():
            self._zero_run += samples.size
            if self._zero_run >= zero_run_limit and self._zero_run - samples.size < zero_run_limit:
                self.dropouts += 1
        else:
            self._zero_run = 0

    def stats(self) -> dict[str, float | int]:
        """{mean_dbfs, peak_dbfs, dropouts, clipped}."""
        def db(x: float) -> float:
            return round(max(-120.0, 20 * np.log10(x / 32768.0)), 1) if x > 0 else -120.0

        rms = (self._sum_sq / self._n) ** 0.5 if self._n else 0.0
        return {"mean_dbfs": db(rms), "peak_dbfs": db(self._peak), "dropouts": self.dropouts, "clipped": self.clipped}
