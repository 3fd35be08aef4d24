"""Whisper's repetition loops are cut to one copy; ordinary speech is untouched."""

from desktop_app.engines.asr_whisper import collapse_repeats
from desktop_app.engines.base import Word


def words(text: str) -> list[Word]:
    return [Word(w, i * 0.3, i * 0.3 + 0.25) for i, w in enumerate(text.split())]


def texts(ws: list[Word]) -> str:
    return " ".join(w.text for w in ws)


def test_single_word_loop_is_cut():
    got = collapse_repeats(words("I wrote the test in Python. Teamwork, Teamwork, Teamwork, Teamwork, Teamwork,"))
    assert texts(got) == "I wrote the test in Python. Teamwork,"


def test_phrase_loop_is_cut():
    got = collapse_repeats(words("we shipped it thank you thank you thank you thank you"))
    assert texts(got) == "we shipped it thank you"


def test_ordinary_repetition_is_kept():
    text = "very very good and then we we retried the the job"
    assert texts(collapse_repeats(words(text))) == text
