"""Audio in and out: WAV files as devices, PCM helpers, and real PortAudio streams through PulseAudio."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

import numpy as np
import pytest

from desktop_app.engines.audio_files import NullOut, WavFileIn, WavFileOut
from desktop_app.engines.base import AudioChunk, AudioIn, AudioOut, AudioUnavailable
from desktop_app.engines.pcm import convert, dbfs, read_wav, silence, split, to_float, write_wav
from desktop_app.engines.text import wer

# ---------------------------------------------------------------- files and PCM


def test_wav_round_trip_and_resampling_at_the_edges(tmp_path):
    tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(22050) / 22050)).astype(np.float32)
    chunk = AudioChunk((tone * 32767).astype("<i2").tobytes(), rate=22050)
    assert write_wav(tmp_path / "t.wav", split(chunk, 0.1)) == pytest.approx(1.0)
    back = read_wav(tmp_path / "t.wav")
    assert back.rate == 22050 and back.audio == chunk.audio
    down = convert(back, 16000)
    assert down.rate == 16000 and down.seconds == pytest.approx(1.0, abs=0.01)
    spectrum = np.abs(np.fft.rfft(to_float(down)))
    assert abs(np.argmax(spectrum) * 16000 / len(to_float(down)) - 440) < 5  # still 440 Hz
    assert dbfs(to_float(down)) == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.5)


def test_wav_file_in_replays_files_as_a_stream_fast_or_in_real_time(tmp_path, speak):
    write_wav(tmp_path / "a.wav", speak("Yes."))
    mic = WavFileIn([tmp_path / "a.wav", silence(0.2)], block_s=0.03, trailing_silence_s=0.3)
    assert isinstance(mic, AudioIn)
    chunks = []
    while (c := mic.read()) is not None:
        chunks.append(c)
    total = speak("Yes.").seconds + 0.5
    assert sum(c.seconds for c in chunks) == pytest.approx(total, abs=0.03)
    assert all(b.timestamp_s == pytest.approx(a.timestamp_s + a.seconds) for a, b in zip(chunks, chunks[1:]))
    realtime = WavFileIn([silence(0.3)], realtime=True)
    started = time.monotonic()
    realtime.start()
    while realtime.read() is not None:
        pass
    assert time.monotonic() - started >= 0.28


def test_wav_file_out_and_null_out_are_speakers_that_can_be_cancelled(tmp_path):
    out = WavFileOut(tmp_path / "said.wav")
    assert isinstance(out, AudioOut) and isinstance(NullOut(), AudioOut)
    out.play(iter([silence(0.2, rate=22050), silence(0.3, rate=16000)]))
    cancel = threading.Event()
    cancel.set()
    out.play(iter([silence(5.0)]), cancel=cancel)
    out.close()
    written = read_wav(tmp_path / "said.wav")
    assert written.rate == 22050 and written.seconds == pytest.approx(0.5, abs=0.01)
    null = NullOut(realtime=True)
    threading.Timer(0.1, null.stop).start()
    started = time.monotonic()
    null.play(split(silence(3.0), 0.05))
    assert time.monotonic() - started < 1.0


# ---------------------------------------------------------------- errors without hardware


def test_missing_portaudio_is_a_clear_audio_unavailable(monkeypatch):
    from desktop_app.engines import audio

    monkeypatch.setitem(sys.modules, "sounddevice", None)  # import fails as it does without libportaudio2
    with pytest.raises(AudioUnavailable, match="PortAudio.*text mode still works: use --text"):
        audio.open_input("USB")


def test_no_device_of_that_kind_is_audio_unavailable(monkeypatch):
    from desktop_app.engines import audio

    monkeypatch.setattr(audio, "list_devices", lambda: [audio.DeviceInfo(0, "HDMI", 0, 2, 48000.0)])
    with pytest.raises(AudioUnavailable, match="no audio input device found; text mode still works"):
        audio.find_device(None, "input")
    assert audio.find_device("hdmi", "output").name == "HDMI"


# ---------------------------------------------------------------- real PortAudio via PulseAudio


@pytest.mark.audio
def test_devices_are_chosen_by_name_with_fallback_to_default(pulse_audio, caplog):
    from desktop_app.engines.audio import find_device, open_input

    assert find_device("PULSE", "input").name == "pulse"
    with caplog.at_level(logging.WARNING, logger="desktop_app.engines.audio"):
        fallback = find_device("Blue Yeti", "input")
    assert "'Blue Yeti' not found" in caplog.text and fallback.inputs > 0
    assert open_input("pulse").device_name == "pulse"


@pytest.mark.audio
@pytest.mark.models
def test_candidate_audio_played_into_the_room_is_heard_and_recognized(pulse_audio, speak, whisper, tmp_path):
    from desktop_app.engines.audio import open_input

    text = "I enjoy solving problems with my team."
    write_wav(tmp_path / "answer.wav", speak(text, lead_s=0.3, tail_s=0.3))
    mic = open_input("pulse")
    mic.start()
    try:
        player = pulse_audio.play_as_candidate(tmp_path / "answer.wav")
        heard: list[AudioChunk] = []
        loudest = -120.0
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            chunk = mic.read(timeout=0.5)
            if chunk is not None:
                heard.append(chunk)
                loudest = max(loudest, mic.level_dbfs)
            if player.poll() is not None and sum(c.seconds for c in heard) > 1.0 and mic.level_dbfs < -60:
                break
    finally:
        mic.stop()
    assert player.wait(10) == 0
    assert loudest > -40  # the level meter saw the speech
    assert all(c.rate == 16000 for c in heard)
    assert wer(text, whisper.transcribe(heard).text) <= 0.2


@pytest.mark.audio
def test_speaker_output_reaches_the_sink_and_stops_on_cancel(pulse_audio, speak, monkeypatch):
    from desktop_app.engines.audio import open_input, open_output, reinitialize

    # Route the app's speaker into the candidate sink so the mic (its monitor) hears it.
    monkeypatch.setenv("PULSE_SINK", pulse_audio.candidate_sink)
    speaker = open_output("pulse")
    mic = open_input("pulse")
    mic.start()
    heard: list[AudioChunk] = []
    stop_reading = threading.Event()

    def record() -> None:
        while not stop_reading.is_set():
            if (c := mic.read(timeout=0.2)) is not None:
                heard.append(c)

    reader = threading.Thread(target=record)
    reader.start()
    try:
        speaker.play(iter([speak("Testing one two three.", tail_s=0.2)]))
        cancel = threading.Event()
        threading.Timer(0.3, cancel.set).start()
        started = time.monotonic()
        speaker.play(iter([silence(5.0)]), cancel=cancel)
        assert time.monotonic() - started < 2.0
    finally:
        time.sleep(0.3)
        stop_reading.set()
        reader.join()
        mic.stop()
    assert max(dbfs(to_float(c)) for c in heard) > -40
    assert os.environ["PULSE_SINK"] == pulse_audio.candidate_sink
    reinitialize()
