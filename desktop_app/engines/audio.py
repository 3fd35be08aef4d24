"""AudioIn/AudioOut over sounddevice (PortAudio): devices chosen by name, callbacks that only copy."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from desktop_app.engines.base import AudioChunk, AudioUnavailable
from desktop_app.engines.pcm import ASR_RATE, StreamResampler, convert, dbfs, to_float

log = logging.getLogger(__name__)

TEXT_MODE_HINT = "text mode still works: use --text"


def _sounddevice():
    """The sounddevice module, or AudioUnavailable when PortAudio is missing."""
    try:
        import sounddevice
    except (OSError, ImportError) as exc:  # OSError at import when libportaudio2 is not installed
        raise AudioUnavailable(f"PortAudio is not installed (Debian: apt install libportaudio2); {TEXT_MODE_HINT}") from exc
    return sounddevice


@dataclass(frozen=True)
class DeviceInfo:
    """One PortAudio device."""

    index: int
    name: str
    inputs: int
    outputs: int
    default_rate: float
    is_default_input: bool = False
    is_default_output: bool = False


def list_devices() -> list[DeviceInfo]:
    """All devices PortAudio sees."""
    sd = _sounddevice()
    try:
        raw = sd.query_devices()
        default_in, default_out = sd.default.device
    except Exception as exc:  # PortAudio errors when no host API works at all
        raise AudioUnavailable(f"no audio system available ({exc}); {TEXT_MODE_HINT}") from exc
    return [
        DeviceInfo(
            i, d["name"], d["max_input_channels"], d["max_output_channels"], float(d["default_samplerate"]),
            i == default_in, i == default_out,
        )
        for i, d in enumerate(raw)
    ]


def find_device(name: str | None, kind: str) -> DeviceInfo:
    """The device whose name contains `name` (case-insensitive), else the default with a warning."""
    if kind not in ("input", "output"):
        raise ValueError("kind: must be 'input' or 'output'")
    usable = [d for d in list_devices() if (d.inputs if kind == "input" else d.outputs) > 0]
    if not usable:
        raise AudioUnavailable(f"no audio {kind} device found; {TEXT_MODE_HINT}")
    if name:
        wanted = name.casefold()
        exact = [d for d in usable if d.name.casefold() == wanted]
        partial = [d for d in usable if wanted in d.name.casefold()]
        if exact or partial:
            return (exact or partial)[0]
        log.warning("audio %s device %r not found; using the default (%s)", kind, name, _default(usable, kind).name)
    return _default(usable, kind)


def _default(usable: list[DeviceInfo], kind: str) -> DeviceInfo:
    for d in usable:
        if (d.is_default_input if kind == "input" else d.is_default_output):
            return d
    return usable[0]


class SoundDeviceIn:
    """A microphone: the PortAudio callback copies blocks into a queue; read() converts and meters them."""

    def __init__(self, name: str | None = None, *, rate: int = ASR_RATE, block_s: float = 0.03, queue_s: float = 60.0) -> None:
        self._sd = _sounddevice()
        self.device = find_device(name, "input")
        self.device_name = self.device.name
        self.rate = rate
        self.block_s = block_s
        self.stream_rate = self._pick_rate(rate)
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=max(1, int(queue_s / block_s)))
        self._resample = StreamResampler(rate)
        self._stream: Any = None  # a sounddevice.RawInputStream (untyped) while capturing
        self._samples_read = 0
        self._level = -120.0
        self.overflows = 0  # blocks dropped because nobody read them in time

    def _pick_rate(self, rate: int) -> int:
        try:
            self._sd.check_input_settings(device=self.device.index, samplerate=rate, channels=1, dtype="int16")
            return rate
        except Exception:  # the device cannot record at 16 kHz: record natively, resample at this edge
            return int(self.device.default_rate)

    def _callback(self, indata, frames, time_info, status) -> None:
        # Runs on PortAudio's thread: copy and return, nothing else.
        try:
            self._queue.put_nowait(bytes(indata))
        except queue.Full:
            self.overflows += 1

    def start(self) -> None:
        """Opens the device and starts capturing."""
        if self._stream is not None:
            return
        try:
            self._stream = self._sd.RawInputStream(
                device=self.device.index,
                samplerate=self.stream_rate,
                channels=1,
                dtype="int16",
                blocksize=int(self.stream_rate * self.block_s),
                callback=self._callback,
            )
            self._stream.start()
        except Exception as exc:
            self._stream = None
            raise AudioUnavailable(f"cannot open microphone {self.device_name!r} ({exc}); {TEXT_MODE_HINT}") from exc

    def read(self, timeout: float | None = None) -> AudioChunk | None:
        """The next captured chunk at `rate`, or None after `timeout` seconds without audio."""
        try:
            data = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        chunk = AudioChunk(data, rate=self.stream_rate, timestamp_s=self._samples_read / self.stream_rate)
        self._samples_read += len(data) // 2
        if self.stream_rate != self.rate:
            chunk = self._resample(chunk)
        self._level = dbfs(to_float(chunk))
        return chunk

    def stop(self) -> None:
        """Stops capturing and closes the device."""
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
            finally:
                stream.close()

    @property
    def level_dbfs(self) -> float:
        """RMS level of the last chunk read, in dBFS."""
        return self._level


class SoundDeviceOut:
    """A speaker: plays chunks with blocking writes, checking for cancel between short blocks."""

    def __init__(self, name: str | None = None, *, block_s: float = 0.05) -> None:
        self._sd = _sounddevice()
        self.device = find_device(name, "output")
        self.device_name = self.device.name
        self.block_s = block_s
        self._stop = threading.Event()

    def _rate_for(self, rate: int) -> int:
        try:
            self._sd.check_output_settings(device=self.device.index, samplerate=rate, channels=1, dtype="int16")
            return rate
        except Exception:
            return int(self.device.default_rate)

    def play(self, chunks: Iterator[AudioChunk], cancel: threading.Event | None = None) -> None:
        """Plays chunks until done or cancelled; blocks."""
        self._stop.clear()
        stream, stream_rate = None, 0
        cancelled = lambda: self._stop.is_set() or (cancel is not None and cancel.is_set())  # noqa: E731
        try:
            for chunk in chunks:
                if cancelled():
                    break
                rate = self._rate_for(chunk.rate) if stream is None or chunk.rate != stream_rate else stream_rate
                if stream is None or rate != stream_rate:
                    if stream is not None:
                        stream.stop()
                        stream.close()
                    stream = self._open(rate)
                    stream_rate = rate
                data = convert(chunk, stream_rate).audio
                step = max(2, int(stream_rate * self.block_s) * 2)
                for offset in range(0, len(data), step):
                    if cancelled():
                        break
                    stream.write(data[offset : offset + step])
            if stream is not None:
                if cancelled():
                    stream.abort()  # drop what is still buffered
                else:
                    stream.stop()  # waits until the buffered audio has played
        finally:
            if stream is not None:
                stream.close()

    def _open(self, rate: int):
        try:
            stream = self._sd.RawOutputStream(device=self.device.index, samplerate=rate, channels=1, dtype="int16")
            stream.start()
            return stream
        except Exception as exc:
            raise AudioUnavailable(f"cannot open speaker {self.device_name!r} ({exc}); {TEXT_MODE_HINT}") from exc

    def stop(self) -> None:
        """Interrupts play() from another thread."""
        self._stop.set()


def open_input(name: str | None = None, **kwargs) -> SoundDeviceIn:
    """The microphone whose name contains `name` (None: the default)."""
    return SoundDeviceIn(name, **kwargs)


def open_output(name: str | None = None, **kwargs) -> SoundDeviceOut:
    """The speaker whose name contains `name` (None: the default)."""
    return SoundDeviceOut(name, **kwargs)


def reinitialize() -> None:
    """Makes PortAudio rescan devices (after plugging one in, or starting PulseAudio)."""
    sd = _sounddevice()
    sd._terminate()
    sd._initialize()


def measure_level(mic: SoundDeviceIn, seconds: float = 1.0) -> float:
    """Peak RMS level over `seconds` of microphone input (for a set-up screen)."""
    mic.start()
    peak, deadline = -120.0, time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            if mic.read(timeout=0.2) is not None:
                peak = max(peak, mic.level_dbfs)
    finally:
        mic.stop()
    return peak


__all__ = [
    "DeviceInfo", "SoundDeviceIn", "SoundDeviceOut", "find_device", "list_devices", "open_input", "open_output",
    "reinitialize", "measure_level",
]
