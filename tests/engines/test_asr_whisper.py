"""faster-whisper adapter: piper speech in, text and word timings out; only VAD speech reaches Whisper."""

from __future__ import annotations

import time

import pytest

from desktop_app.engines.base import Recognizer, VocabularyHint
from desktop_app.engines.pcm import concat, silence, split
from desktop_app.engines.text import wer
from tests.engines.conftest import ENGLISH_ANSWERS, noise

pytestmark = pytest.mark.models

# Measured over 12 piper noise seeds (piper's VITS voice is random per process): mean WER
# 0.05-0.09 over ENGLISH_ANSWERS (0.12 in one benchmark run), worst sentence 0.27 ("race
# condition and the check-up flow", 3 of 11 words), with tiny.en int8, beam 5; one later run
# had 4 of 11 (0.36) with a mean of 0.12. Bounds leave one more error than the worst seen before.
MAX_MEAN_WER = 0.15
MAX_SENTENCE_WER = 0.37


def test_recognizes_synthesized_answers_within_the_measured_wer_bound(whisper, speak):
    assert isinstance(whisper, Recognizer) and whisper.language == "en"
    errors = []
    for sentence in ENGLISH_ANSWERS:
        result = whisper.transcribe([speak(sentence, lead_s=0.5, tail_s=0.5)])
        assert result.is_final
        errors.append(wer(sentence, result.text))
    assert max(errors) <= MAX_SENTENCE_WER, errors
    assert sum(errors) / len(errors) <= MAX_MEAN_WER, errors


def test_silence_and_noise_produce_no_text(whisper):
    assert whisper.transcribe([silence(3.0)]).text == ""
    assert whisper.transcribe([noise(3.0, level_dbfs=-35)]).text == ""


def test_stream_gives_a_partial_while_the_candidate_is_still_talking(whisper, speak):
    first, second = ENGLISH_ANSWERS[0], ENGLISH_ANSWERS[4]
    stream = whisper.start()
    for chunk in split(speak(first, lead_s=0.3, tail_s=0.8), 0.03):
        stream.feed(chunk)
    partial = None
    deadline = time.monotonic() + 20
    while partial is None and time.monotonic() < deadline:
        partial = stream.feed(silence(0.03))  # a thinking pause: the candidate has not finished
        time.sleep(0.02)
    assert partial is not None and not partial.is_final
    assert wer(first, partial.text) <= MAX_SENTENCE_WER
    for chunk in split(speak(second, tail_s=0.3), 0.03):
        stream.feed(chunk)
    final = stream.finish()
    assert final.is_final
    assert wer(f"{first} {second}", final.text) <= MAX_SENTENCE_WER


def test_word_timings_are_in_stream_time_even_across_shortened_gaps(whisper, speak):
    first, second = "Hello there.", "Good morning."
    audio = concat([speak(first, lead_s=1.0), silence(3.0), speak(second, tail_s=0.5)])
    words = whisper.transcribe([audio]).words
    texts = [w.text.strip(".,").lower() for w in words]
    # tiny.en sometimes drops "good" on some piper voicings; the timings are what is tested here.
    assert texts[:2] == ["hello", "there"] and texts[-1] == "morning"
    assert all(a.start_s <= b.start_s for a, b in zip(words, words[1:]))
    first_end = 1.0 + speak(first).seconds
    assert 0.7 <= words[0].start_s <= 1.3
    # The 3 s gap was shortened for Whisper but not in the timings. (End, not start: when tiny.en
    # drops "good", its alignment may stretch "morning" back over the shortened gap.)
    assert words[-1].end_s >= first_end + 3.0
    assert words[-1].end_s <= audio.seconds + 0.1


def test_trailing_zero_length_words_are_dropped_as_hallucinations():
    from desktop_app.engines.asr_whisper import drop_trailing_hallucination
    from desktop_app.engines.base import Word

    words = [Word("flow.", 8.1, 8.4), Word("We'll", 8.4, 8.4), Word("see", 8.4, 8.41), Word("you", 8.41, 8.41)]
    assert drop_trailing_hallucination(words) == words[:1]
    assert drop_trailing_hallucination(words[:1]) == words[:1]


def test_words_after_the_last_speech_frame_or_without_belief_are_dropped():
    from desktop_app.engines.asr_whisper import drop_unspoken_tail
    from desktop_app.engines.base import Word

    words = [Word("flow.", 2.7, 3.0, 0.98), Word("Thank", 3.02, 3.2, 0.0), Word("you", 3.2, 3.3, 0.6)]
    assert drop_unspoken_tail(words, speech_end_s=3.05) == words[:1]
    assert drop_unspoken_tail(words[:2], speech_end_s=4.0) == words[:1]  # probability 0.0
    assert drop_unspoken_tail(words[:1], speech_end_s=3.05) == words[:1]


def test_vocabulary_hint_is_accepted_and_names_come_through(whisper, speak):
    hint = VocabularyHint(phrases=("Kubernetes", "Postgres"), prompt="Tell me about your infrastructure work.")
    text = whisper.transcribe([speak("We run Kubernetes and Postgres in production.", 0.3, 0.3)], hint).text
    assert "Kubernetes" in text and "Postgres" in text


def test_feed_accepts_any_rate_and_resamples_at_the_edge(whisper, piper_voice):
    chunks = list(piper_voice.synthesize("I enjoy working with people."))
    assert chunks[0].rate == 22050
    stream = whisper.start()
    for chunk in chunks:
        for piece in split(chunk, 0.05):
            stream.feed(piece)
    stream.feed(silence(0.5))
    assert wer("I enjoy working with people.", stream.finish().text) <= MAX_SENTENCE_WER
