"""Durable WAV writing and crash repair, on real files."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np

from desktop_app.engines.base import AudioChunk
from desktop_app.interview.recorder import DurableWav, LevelMeter, file_sha256, repair_folder, repair_wav


def _tone(seconds: float, rate: int = 16000) -> AudioChunk:
    t = np.arange(int(seconds * rate)) / rate
    return AudioChunk((np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes(), rate=rate)


def test_wav_is_valid_while_it_is_written_and_after_close(tmp_path: Path):
    path = tmp_path / "a.wav"
    wav = DurableWav(path, 16000, sync_s=0.1)
    wav.write(_tone(0.5))
    with wave.open(str(path)) as r:  # readable mid-recording: the header follows the synced data
        assert r.getnframes() == 8000 and r.getframerate() == 16000
    wav.write(_tone(0.25, rate=48000))  # converted to the file's rate
    rec = wav.close()
    with wave.open(str(path)) as r:
        assert r.getnframes() == 12000
    assert rec.sha256 == file_sha256(path) and abs(rec.seconds - 0.75) < 1e-6


def test_repair_after_a_kill_mid_write(tmp_path: Path):
    path = tmp_path / "killed.wav"
    script = (
        "import os, sys, numpy as np\n"
        "from desktop_app.interview.recorder import DurableWav\n"
        "from desktop_app.engines.base import AudioChunk\n"
        f"w = DurableWav(__import__('pathlib').Path({str(path)!r}), 16000, sync_s=10)\n"
        "for i in range(20): w.write(AudioChunk(np.full(1600, 1000, '<i2').tobytes()))\n"
        "w._file.write(b'\\x01')\n"  # half a sample, as a kill mid-write can leave
        "w._file.flush(); os.fsync(w._file.fileno())\n"
        "os.kill(os.getpid(), 9)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2])
    assert proc.returncode == -9
    assert struct.unpack("<I", path.read_bytes()[40:44])[0] == 0  # header never updated
    assert repair_folder(tmp_path) == [path]
    with wave.open(str(path)) as r:
        assert r.getnframes() == 32000
    assert repair_wav(path) is False  # repairing twice changes nothing


def test_repair_of_a_file_cut_inside_its_header(tmp_path: Path):
    path = tmp_path / "stub.wav"
    path.write_bytes(b"RIFF\x00\x00")
    assert repair_wav(path)
    with wave.open(str(path)) as r:
        assert r.getnframes() == 0


def test_level_meter_counts_dropouts_and_clipping():
    meter = LevelMeter()
    meter.add(_tone(0.2))
    meter.add(AudioChunk(b"\x00\x00" * 3200))  # 0.2 s of digital silence: one dropout
    meter.add(AudioChunk(np.full(10, 32767, "<i2").tobytes()))
    stats = meter.stats()
    assert stats["dropouts"] == 1 and stats["clipped"] == 10
    assert -30 < stats["mean_dbfs"] < -5 and stats["peak_dbfs"] > -1
    assert os.path.exists(__file__)
