"""Shared helpers for engine tests: synthesized speech, a temporary data folder, a network blocker."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from desktop_app.engines.base import AudioChunk
from desktop_app.engines.pcm import ASR_RATE, concat, convert, from_float, read_wav, silence
from desktop_app.paths import DataPaths

# Sentences an interview might hear; the WER bound in test_asr_whisper.py was measured on these.
ENGLISH_ANSWERS = (
    "I have worked as a backend engineer for five years.",
    "Most of my time went into the payments service.",
    "We moved the database to a managed cluster last spring.",
    "I led a team of four people and we shipped every two weeks.",
    "The hardest bug was a race condition in the checkout flow.",
    "I would start by measuring where the time is spent.",
)


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    """An empty data folder."""
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    return paths


@pytest.fixture(scope="session")
def speak(piper_voice) -> Callable[..., AudioChunk]:
    """Speech for `text` from the embedded voice, at 16 kHz, with optional silence around it."""
    cache: dict[str, AudioChunk] = {}

    def _speak(text: str, lead_s: float = 0.0, tail_s: float = 0.0) -> AudioChunk:
        if text not in cache:
            cache[text] = concat(list(piper_voice.synthesize(text)), ASR_RATE)
        parts = [silence(lead_s), cache[text], silence(tail_s)]
        return concat([p for p in parts if p.audio], ASR_RATE)

    return _speak


@pytest.fixture(scope="session")
def espeak_ko(tmp_path_factory) -> Callable[[str], AudioChunk]:
    """Korean speech from espeak-ng (`-v ko`), at 16 kHz."""
    folder = tmp_path_factory.mktemp("espeak")

    def _say(text: str, rate_wpm: int = 140) -> AudioChunk:
        wav = folder / f"{abs(hash((text, rate_wpm)))}.wav"
        if not wav.exists():
            subprocess.run(["espeak-ng", "-v", "ko", "-s", str(rate_wpm), "-w", str(wav), text], check=True)
        return convert(read_wav(wav), ASR_RATE)

    return _say


def noise(seconds: float, level_dbfs: float = -30.0, seed: int = 7) -> AudioChunk:
    """White noise at an RMS level."""
    rng = np.random.default_rng(seed)
    samples = rng.standard_normal(int(seconds * ASR_RATE)).astype(np.float32)
    samples *= 10 ** (level_dbfs / 20) / max(1e-9, float(np.sqrt(np.mean(samples**2))))
    return from_float(samples, ASR_RATE)


class NetworkBlocked(AssertionError):
    """A test tried to open a network connection."""


@pytest.fixture
def no_network(monkeypatch):
    """Makes every attempt to reach the network fail loudly (and records them)."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[1:] if args and isinstance(args[0], socket.socket) else args)[:200])
        raise NetworkBlocked(f"network access attempted: {attempts[-1]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket.socket, "sendto", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts
