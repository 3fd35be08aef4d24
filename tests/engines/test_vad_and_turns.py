"""VADs on synthesized speech, silence and noise, and the end-of-turn machine driven by a real VAD."""

from __future__ import annotations

import pytest

from desktop_app.core.turn_taking import EndReason, TurnConfig, TurnDetector, TurnEvent
from desktop_app.engines.audio_files import WavFileIn
from desktop_app.engines.pcm import ASR_RATE, concat, silence, split, write_wav
from desktop_app.engines.text import wer
from desktop_app.engines.vad import DEFAULT_VAD, SileroVad, WebRtcVad, make_vad
from tests.engines.conftest import noise


def _speech_fraction(vad, audio) -> tuple[float, float]:
    """Fraction of frames called speech in the first and second half of `audio`."""
    frames = vad.frames(audio)
    half = len(frames) // 2
    return (sum(f.is_speech for f in frames[:half]) / half, sum(f.is_speech for f in frames[half:]) / (len(frames) - half))


@pytest.mark.parametrize("kind", ["silero", "webrtc"])
def test_both_vads_find_speech_and_ignore_silence(kind, speak):
    speech = speak("I have worked as a backend engineer for five years.")
    audio = concat([silence(speech.seconds), speech])  # silence first, speech second
    quiet, talking = _speech_fraction(make_vad(kind), audio)
    assert quiet == 0.0
    assert talking > 0.6


def test_silero_the_default_ignores_steady_noise_that_webrtc_calls_speech():
    assert DEFAULT_VAD == "silero"
    hiss = noise(3.0, level_dbfs=-30)
    silero = sum(f.is_speech for f in SileroVad().frames(hiss))
    webrtc = sum(f.is_speech for f in WebRtcVad().frames(hiss))
    assert silero == 0
    assert webrtc > silero


def test_frames_are_contiguous_fixed_size_and_any_input_rate_works(piper_voice):
    vad = make_vad()
    frames = []
    for chunk in piper_voice.synthesize("Hello there."):
        for piece in split(chunk, 0.017):  # odd sizes at 22.05 kHz
            frames += vad.frames(piece)
    assert all(len(f.audio.audio) == 2 * vad.frame_samples and f.audio.rate == ASR_RATE for f in frames)
    assert all(b.audio.timestamp_s == pytest.approx(a.audio.timestamp_s + a.seconds) for a, b in zip(frames, frames[1:]))


@pytest.mark.models
def test_voice_turn_pipeline_keeps_the_first_word_waits_through_a_pause_and_ends_on_silence(
    speak, whisper, tmp_path
):
    """WavFileIn -> VAD -> TurnDetector (pre-roll) -> Whisper: the answer heard is the answer given."""
    first, second = "Yes, I have led teams before.", "Two of them were remote."
    answer = concat([silence(1.0), speak(first), silence(0.8), speak(second), silence(3.0)])
    write_wav(tmp_path / "answer.wav", answer)
    mic = WavFileIn([tmp_path / "answer.wav"], block_s=0.03)
    vad = make_vad()
    detector = TurnDetector(TurnConfig(end_of_turn_silence_s=1.2, pre_roll_s=0.3))
    kept, events = [], []
    while (chunk := mic.read()) is not None and not detector.ended:
        for frame in vad.frames(chunk):
            update = detector.process(frame.seconds, frame.is_speech, payload=frame.audio)
            events.append(update.event)
            kept += update.frames
            if update.ended:
                break
    end = detector.ended
    assert end is not None and end.reason is EndReason.SILENCE
    assert TurnEvent.PAUSE in events and TurnEvent.SPEECH_RESUMED in events  # the 0.8 s pause did not end it
    speech_end = 1.0 + speak(first).seconds + 0.8 + speak(second).seconds
    # 1.2 s of silence after the last speech frame; piper's clips end in up to ~0.3 s of near-silence the VAD
    # already counts as silence (measured: 0.2 s), so the end falls 0.9-1.6 s after the clip ends.
    assert speech_end + 0.9 <= end.time_s <= speech_end + 1.6
    assert kept[0].timestamp_s <= 1.0 - 0.25  # pre-roll reaches back before the first syllable
    heard = whisper.transcribe(kept).text
    assert heard.lower().startswith("yes")
    assert wer(f"{first} {second}", heard) <= 0.2
