"""Voice activity detection: webrtcvad and Silero (ONNX, bundled with faster-whisper) behind one interface.

Which one is the default was decided by measurement (benchmarks/engines.py, "VAD" rows:
frame accuracy on piper speech mixed with silence and noise at 20, 10 and 5 dB SNR,
and CPU time per second of audio on 2 cores). See DEFAULT_VAD below for the numbers.
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass

import numpy as np

from desktop_app.engines.base import AudioChunk, EngineError
from desktop_app.engines.pcm import ASR_RATE, StreamResampler

# Measured (benchmarks/engines.py, 2 cores): frame accuracy on piper speech with pauses and
# white noise at 20/10/5 dB SNR was 0.92/0.89/0.90 for Silero and 0.89/0.89/0.62 for
# webrtcvad, which calls steady noise speech; CPU per second of audio 2.0 ms against 0.2 ms.
# Both costs are negligible (0.2% of one core at most), so accuracy decides: a VAD that
# hears noise as speech never lets the end-of-turn silence begin.
DEFAULT_VAD = "silero"
VAD_KINDS = ("silero", "webrtc")


@dataclass(frozen=True)
class VadFrame:
    """One fixed-length frame of 16 kHz mono audio and whether it holds speech."""

    audio: AudioChunk
    is_speech: bool
    probability: float

    @property
    def seconds(self) -> float:
        """Frame duration."""
        return self.audio.seconds


class VoiceActivityDetector:
    """Cuts any stream of chunks into fixed frames and classifies each; one instance per stream."""

    name = "base"
    frame_samples = 480

    def __init__(self) -> None:
        self._resampler = StreamResampler(ASR_RATE)
        self._pending = np.zeros(0, dtype=np.int16)
        self._time_s = 0.0

    @property
    def frame_s(self) -> float:
        """Frame duration in seconds."""
        return self.frame_samples / ASR_RATE

    def reset(self) -> None:
        """Forgets buffered audio and model state."""
        self._resampler = StreamResampler(ASR_RATE)
        self._pending = np.zeros(0, dtype=np.int16)
        self._time_s = 0.0

    def frames(self, chunk: AudioChunk) -> list[VadFrame]:
        """Adds audio; returns the frames completed by it."""
        pcm = np.frombuffer(self._resampler(chunk).audio, dtype="<i2")
        buf = np.concatenate([self._pending, pcm]) if self._pending.size else pcm
        n = buf.size // self.frame_samples
        self._pending = buf[n * self.frame_samples :].copy()
        if n == 0:
            return []
        block = buf[: n * self.frame_samples].reshape(n, self.frame_samples)
        probabilities = self._classify(block)
        out = []
        for row, prob in zip(block, probabilities):
            audio = AudioChunk(row.astype("<i2").tobytes(), rate=ASR_RATE, timestamp_s=self._time_s)
            self._time_s += self.frame_s
            out.append(VadFrame(audio, self._decide(prob), float(prob)))
        return out

    def _classify(self, block: np.ndarray) -> list[float]:
        raise NotImplementedError

    def _decide(self, probability: float) -> bool:
        return probability >= 0.5


class WebRtcVad(VoiceActivityDetector):
    """Google's WebRTC GMM VAD: tiny and fast, but hears steady noise as speech."""

    name = "webrtc"
    frame_samples = 480  # 30 ms

    def __init__(self, aggressiveness: int = 2) -> None:
        super().__init__()
        import webrtcvad

        self._vad = webrtcvad.Vad(aggressiveness)

    def _classify(self, block: np.ndarray) -> list[float]:
        return [1.0 if self._vad.is_speech(row.tobytes(), ASR_RATE) else 0.0 for row in block]


@functools.lru_cache(maxsize=1)
def _silero_session():
    import onnxruntime
    from faster_whisper.utils import get_assets_path

    path = os.path.join(get_assets_path(), "silero_vad_v6.onnx")
    if not os.path.isfile(path):
        raise EngineError(f"Silero VAD model missing: {path} (reinstall faster-whisper)")
    opts = onnxruntime.SessionOptions()
    # One thread: the VAD runs beside ASR and TTS and is cheap; more threads only add contention.
    opts.inter_op_num_threads = 1
    opts.intra_op_num_threads = 1
    opts.log_severity_level = 4
    return onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"], sess_options=opts)


class SileroVad(VoiceActivityDetector):
    """Silero VAD v6 (a small LSTM) run with onnxruntime, state carried across frames."""

    name = "silero"
    frame_samples = 512  # 32 ms, fixed by the model
    context_samples = 64

    def __init__(self, threshold: float = 0.5, release_margin: float = 0.15) -> None:
        super().__init__()
        self.threshold = threshold
        self.release_threshold = max(0.01, threshold - release_margin)
        self._session = _silero_session()
        self._lock = threading.Lock()
        self._reset_state()

    def _reset_state(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(self.context_samples, dtype=np.float32)
        self._speaking = False

    def reset(self) -> None:
        """Forgets buffered audio and the LSTM state."""
        super().reset()
        self._reset_state()

    def _classify(self, block: np.ndarray) -> list[float]:
        audio = block.astype(np.float32) / 32768.0
        # Each frame is preceded by the last 64 samples of the one before, as the model expects.
        previous = np.concatenate([self._context[None, :], audio[:-1, -self.context_samples :]], axis=0)
        batch = np.concatenate([previous, audio], axis=1)
        self._context = audio[-1, -self.context_samples :].copy()
        with self._lock:
            out, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        return [float(p) for p in np.asarray(out).reshape(-1)]

    def _decide(self, probability: float) -> bool:
        # Hysteresis: start at the threshold, stop only well below it, so speech is not chopped.
        if self._speaking:
            self._speaking = probability >= self.release_threshold
        else:
            self._speaking = probability >= self.threshold
        return self._speaking


def make_vad(kind: str | None = None) -> VoiceActivityDetector:
    """A fresh detector for one stream: "silero" (default) or "webrtc"."""
    kind = kind or DEFAULT_VAD
    if kind == "silero":
        return SileroVad()
    if kind == "webrtc":
        return WebRtcVad()
    raise EngineError(f"unknown VAD {kind!r} (choose from {', '.join(VAD_KINDS)})")
